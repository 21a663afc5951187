"""Running a script of bench/ in its smoke mode, as the test suite does for each of them."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_smoke(script: str) -> str:
    """Run ``bench/<script> --smoke``; its standard output (the test fails on a non-zero exit status)."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), "--smoke"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout
