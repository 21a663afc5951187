"""The lock files: exact versions and sha256 hashes of everything leerreview installs.

    python scripts/lock.py write [--upgrade [PACKAGE ...]]  # `make lock` / `make lock-upgrade`: regenerate both
    python scripts/lock.py check                              # exit 1 when pyproject.toml and the locks disagree
    python scripts/lock.py sync requirements-test.lock        # remove what the lock does not list, then verify
    python scripts/lock.py verify requirements-test.lock      # exit 1 unless `pip freeze` is exactly the lock

``requirements-test.lock`` holds the runtime, every optional-dependency group (the test tools) and the build
backend (setuptools, so ``pip install --no-build-isolation -e .`` fetches nothing unhashed);
``requirements.lock`` holds the runtime and the build backend only, resolved under the test lock as constraints,
so ``make run`` and the container get exactly the versions the test suite ran on. Both are written by
``uv pip compile --universal``: one resolution for every platform and every Python from 3.11 on, with the hashes
of all of each pinned release's files, so they install on this machine, in the container and on a laptop alike.

``make lock`` keeps every pin that still satisfies ``pyproject.toml`` (uv reads the existing file as preferences)
and resolves only what changed, so running it twice writes the same files; ``make lock-upgrade`` moves pins.
Each lock's header carries the sha256 of ``pyproject.toml``'s dependency inputs; ``check`` compares it, with no
network and no third-party module. ``write`` also renews the "pinned" column of README's Dependencies table.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"
README = ROOT / "README.md"
RUNTIME_LOCK = ROOT / "requirements.lock"
TEST_LOCK = ROOT / "requirements-test.lock"
LOCKS = (RUNTIME_LOCK, TEST_LOCK)

# The oldest Python the universal resolution must serve (pyproject's requires-python; the container's is 3.11).
PYTHON_FLOOR = "3.11"
HASH_PREFIX = "# pyproject-sha256: "
HEADER = (
    "{prefix}{digest}\n"
    "#   of pyproject.toml's requires-python, dependencies, optional-dependencies and build-system.requires.\n"
    "#   `make test` and `make run` refuse this file when that hash no longer matches: run `make lock`.\n"
    "#   A pin without `# via` is the build backend (build-system.requires, for `pip install --no-build-isolation`).\n"
)
# Installed by every venv and the container image, never pinned: the installer itself.
UNLOCKED = frozenset({"pip"})
PROJECT = "leerreview"
STALE_HINT = (
    "run `make lock` (keeps the other pins, resolves what changed), review `git diff requirements*.lock`, "
    "then `make test`"
)

REQUIREMENT = re.compile(
    r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[^\s;\\]+)\s*(?:;\s*(?P<marker>[^\\]*?))?\s*\\?$"
)


def canonical(name: str) -> str:
    """The normalised project name (PEP 503): ``Jinja2`` and ``typing_extensions`` as pip and uv compare them."""
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass(frozen=True)
class Pin:
    """One ``name==version`` line of a lock, with its environment marker ("" when it applies everywhere)."""

    name: str
    version: str
    marker: str
    hashes: tuple[str, ...]


def read_lock(path: Path) -> list[Pin]:
    """The pins of a lock file in file order (a name appears twice when the resolution forks by marker)."""
    pins: list[Pin] = []
    current: dict[str, str] | None = None
    hashes: list[str] = []

    def flush() -> None:
        if current is not None:
            pins.append(Pin(current["name"], current["version"], current["marker"], tuple(hashes)))

    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        stripped = line.strip()
        if line[0].isspace():
            if stripped.startswith("--hash="):
                hashes.append(stripped.removeprefix("--hash=").rstrip(" \\"))
            continue
        match = REQUIREMENT.match(stripped)
        if match is None:
            raise ValueError(f"{path.name}: not a pinned requirement: {stripped!r}")
        flush()
        current = {
            "name": canonical(match["name"]),
            "version": match["version"],
            "marker": (match["marker"] or "").strip(),
        }
        hashes = []
    flush()
    return pins


def inputs_digest(pyproject: Path = PYPROJECT) -> str:
    """The sha256 of what the locks are resolved from: pyproject's dependency lists, requires-python, build backend."""
    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    project = data.get("project", {})
    inputs = {
        "requires-python": project.get("requires-python", ""),
        "dependencies": project.get("dependencies", []),
        "optional-dependencies": project.get("optional-dependencies", {}),
        "build-system.requires": data.get("build-system", {}).get("requires", []),
    }
    return hashlib.sha256(json.dumps(inputs, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def stored_digest(lock: Path) -> str | None:
    """The pyproject hash recorded in a lock's header, or None when the header has none."""
    for line in lock.read_text(encoding="utf-8").splitlines():
        if line.startswith(HASH_PREFIX):
            return line.removeprefix(HASH_PREFIX).strip()
        if line and not line.startswith("#"):
            break
    return None


def stale_locks(pyproject: Path = PYPROJECT, locks: Iterable[Path] = LOCKS) -> list[str]:
    """One message per lock file that is missing or was made from other dependency inputs than ``pyproject``'s."""
    expected = inputs_digest(pyproject)
    problems = []
    for lock in locks:
        if not lock.exists():
            problems.append(f"{lock.name} is missing")
        elif stored_digest(lock) != expected:
            problems.append(f"{lock.name} was made from other dependencies than {pyproject.name} lists now")
    return problems


# --- writing --------------------------------------------------------------------------------------------------


def _with_header(lock: Path, digest: str) -> None:
    """Put the pyproject hash under uv's own two header lines (replacing an older one)."""
    lines = lock.read_text(encoding="utf-8").splitlines(keepends=True)
    head = [line for line in lines[:2] if line.startswith("#")]
    rest = [line for line in lines[len(head) :] if not line.startswith((HASH_PREFIX, "#   "))]
    lock.write_text("".join(head) + HEADER.format(prefix=HASH_PREFIX, digest=digest) + "".join(rest), encoding="utf-8")


def write(*, uv: str, upgrade: list[str] | None) -> None:
    """Regenerate both locks with uv (keeping pins unless ``upgrade``: [] = all, names = those) and README's pins."""
    build_requires = "\n".join(tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["build-system"]["requires"])
    common = [
        uv,
        "pip",
        "compile",
        "--quiet",
        "--no-config",  # no user or machine uv.toml changes the resolution
        "--universal",
        "--python-version",
        PYTHON_FLOOR,
        "--generate-hashes",
        "--custom-compile-command",
        "make lock",
        "pyproject.toml",
        "-",  # pyproject's build-system.requires, read from stdin
    ]
    test_args = [*common, "--all-extras", "-o", TEST_LOCK.name]
    if upgrade is not None:
        test_args += ["--upgrade"] if not upgrade else [f"--upgrade-package={name}" for name in upgrade]
    runtime_args = [*common, "-c", TEST_LOCK.name, "-o", RUNTIME_LOCK.name]
    digest = inputs_digest()
    for args, lock in ((test_args, TEST_LOCK), (runtime_args, RUNTIME_LOCK)):
        subprocess.run(args, input=build_requires + "\n", text=True, cwd=ROOT, check=True)
        _with_header(lock, digest)
    README.write_text(render_readme(README.read_text(encoding="utf-8"), read_lock(TEST_LOCK)), encoding="utf-8")


def render_readme(text: str, pins: list[Pin]) -> str:
    """README with its Dependencies table's "pinned" column filled from the lock (added to rows that lack it)."""
    versions: dict[str, list[str]] = {}
    for pin in pins:
        if pin.version not in versions.setdefault(pin.name, []):
            versions[pin.name].append(pin.version)
    lines = text.split("\n")
    try:
        start = lines.index("## Dependencies")
    except ValueError:
        return text
    row = start + 1
    while row < len(lines) and not lines[row].startswith("## "):
        line = lines[row]
        if line.startswith("|"):
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            if cells[0] == "package":
                cells = ["package", "pinned", cells[-1]]
            elif set(cells[0]) <= {"-", ":"}:
                cells = ["---", "---", "---"]
            else:
                names = [canonical(name.strip(" `")) for name in re.split(r"[/,]", cells[0])]
                pinned = " / ".join(" or ".join(versions.get(name, ["not locked"])) for name in names)
                cells = [cells[0], pinned, cells[-1]]
            lines[row] = "|---|---|---|" if cells[0] == "---" else "| " + " | ".join(cells) + " |"
        row += 1
    return "\n".join(lines)


# --- the virtualenv against the lock -------------------------------------------------------------------------


def _marker_evaluator() -> Callable[[str], bool]:
    """``marker -> applies here``, with packaging (a test-lock package) or else the copy pip carries."""
    try:
        from packaging.markers import Marker
    except ImportError:  # a runtime-only venv
        from pip._vendor.packaging.markers import Marker  # type: ignore[assignment]
    return lambda marker: not marker or Marker(marker).evaluate()


def expected_here(pins: list[Pin], applies: Callable[[str], bool]) -> dict[str, str]:
    """``name -> version`` of the pins whose marker holds in this environment."""
    return {pin.name: pin.version for pin in pins if applies(pin.marker)}


def freeze() -> dict[str, str]:
    """``pip freeze --all`` of the running interpreter (without the editable project): ``name -> version``."""
    out = subprocess.run(
        [sys.executable, "-m", "pip", "freeze", "--all", "--exclude-editable", "--disable-pip-version-check"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    installed = {}
    for line in out.splitlines():
        name, sep, version = line.partition("==")
        if sep:
            installed[canonical(name)] = version.strip()
    return installed


def differences(expected: dict[str, str], installed: dict[str, str]) -> list[str]:
    """What keeps ``installed`` (pip freeze) from being exactly ``expected`` (the lock), one line per package."""
    problems = []
    for name in sorted(expected.keys() | installed.keys()):
        if name in UNLOCKED or name == PROJECT:
            continue
        want, have = expected.get(name), installed.get(name)
        if have is None:
            problems.append(f"{name}: not installed (lock: {want})")
        elif want is None:
            problems.append(f"{name}: {have} installed, not in the lock")
        elif want != have:
            problems.append(f"{name}: {have} installed, lock: {want}")
    return problems


def sync(lock: Path) -> None:
    """Uninstall what the lock does not list (packages installed by hand or dropped from pyproject)."""
    expected = expected_here(read_lock(lock), _marker_evaluator())
    extra = sorted(set(freeze()) - expected.keys() - UNLOCKED - {PROJECT})
    if extra:
        print(f"Removing packages that {lock.name} does not list: {' '.join(extra)}")
        subprocess.run(
            [sys.executable, "-m", "pip", "uninstall", "--yes", "--quiet", "--disable-pip-version-check", *extra],
            check=True,
        )


def verify(lock: Path) -> list[str]:
    """The differences between this interpreter's ``pip freeze`` and the lock's pins for this platform."""
    return differences(expected_here(read_lock(lock), _marker_evaluator()), freeze())


def main(argv: list[str] | None = None) -> int:
    """The command line (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    write_cmd = commands.add_parser("write", help="regenerate both lock files and README's pinned versions")
    write_cmd.add_argument("--uv", default=str(Path(sys.executable).with_name("uv")), help="the uv executable")
    write_cmd.add_argument("--upgrade", nargs="*", metavar="PACKAGE", help="newest allowed versions (all or these)")
    commands.add_parser("check", help="exit 1 when pyproject.toml and the lock files disagree")
    for name in ("sync", "verify"):
        cmd = commands.add_parser(name, help=f"{name} this interpreter's packages against a lock file")
        cmd.add_argument("lock", type=Path)
    args = parser.parse_args(argv)

    if args.command == "write":
        write(uv=args.uv, upgrade=args.upgrade)
        return 0
    if args.command == "check":
        problems = stale_locks()
        for problem in problems:
            print(f"ERROR: {problem}", file=sys.stderr)
        if problems:
            print(f"pyproject.toml and the lock files disagree: {STALE_HINT}.", file=sys.stderr)
        return 1 if problems else 0
    if args.command == "sync":
        sync(args.lock)
    problems = verify(args.lock)
    for problem in problems:
        print(f"ERROR: {problem}", file=sys.stderr)
    if problems:
        print(
            f"The virtualenv ({sys.prefix}) is not exactly {args.lock.name}: "
            f"`rm {sys.prefix}/.installed*` and run make again to reinstall from the lock.",
            file=sys.stderr,
        )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
