"""The service hashes passwords with argon2id at production cost.

The test process itself hashes with argon2's cheapest parameters (``tests/fixtures.py``: a production hash costs a
fifth of a second, and the tests make well over a thousand), so this looks at a process of its own, as a deployed
service or the live test servers are."""

import subprocess
import sys
from pathlib import Path

from argon2 import Type, extract_parameters, profiles

from app import security

_SCRIPT = """
from app.security import _DUMMY_HASH, hash_password, verify_password
stored = hash_password("correct horse battery")
assert verify_password(stored, "correct horse battery") and not verify_password(stored, "wrong horse battery")
print(stored, _DUMMY_HASH)
"""


def test_the_service_hashes_with_production_argon2id_parameters(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", _SCRIPT], cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    stored, dummy = (extract_parameters(value) for value in result.stdout.split())
    floor = profiles.RFC_9106_LOW_MEMORY  # RFC 9106's second recommendation: t=3, 64 MiB, p=4
    assert stored.type is Type.ID
    assert stored.time_cost >= floor.time_cost
    assert stored.memory_cost >= floor.memory_cost
    assert stored.parallelism >= floor.parallelism
    assert dummy == stored, "an unknown address must cost as much to check as a known one"


def test_the_tests_hash_cheaply_in_process() -> None:
    assert extract_parameters(security.hash_password("correct horse battery")) == profiles.CHEAPEST
