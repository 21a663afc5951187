"""``lifeline`` is a library: its tests pass where the service (``app``) cannot even be imported."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# A child interpreter in which importing ``app`` (or anything under it) fails, running only tests/lifeline.
CHILD = """
import sys

class NoService:
    def find_spec(self, name, path=None, target=None):
        if name == "app" or name.startswith("app."):
            raise ModuleNotFoundError(f"No module named {name!r} (blocked: the library must not need it)")
        return None

sys.meta_path.insert(0, NoService())
import pytest

code = pytest.main(["-q", "-x", "-p", "no:cacheprovider", "tests/lifeline"])
sys.exit(int(code) or (1 if any(m == "app" or m.startswith("app.") for m in sys.modules) else 0))
"""


def test_the_lifeline_tests_pass_without_the_service() -> None:
    done = subprocess.run(
        [sys.executable, "-c", CHILD], cwd=ROOT, capture_output=True, text=True, timeout=900, check=False
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert " passed" in done.stdout and "error" not in done.stdout.lower()
