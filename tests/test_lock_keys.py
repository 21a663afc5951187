"""Advisory-lock keys are named once (app.db.locks): no number written into a lock statement elsewhere."""

import re
from pathlib import Path

from app.db.locks import LockKey

APP = Path(__file__).resolve().parents[1] / "app"


def test_no_lock_statement_carries_a_bare_key() -> None:
    bare = re.compile(r"pg_advisory_(?:xact_)?lock(?:_shared)?\(\s*\d")
    found = [str(p) for p in APP.rglob("*.py") if bare.search(p.read_text(encoding="utf-8"))]
    assert found == []


def test_every_key_is_used_and_the_keys_differ() -> None:
    source = "".join(p.read_text(encoding="utf-8") for p in APP.rglob("*.py") if p.name != "locks.py")
    assert len({k.value for k in LockKey}) == len(LockKey)
    assert [k.name for k in LockKey if f"LockKey.{k.name}" not in source] == []
