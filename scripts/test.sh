#!/usr/bin/env bash
# The whole check, as `make test` and CI run it:
#   system packages (Debian chromium, postgresql, wrk, WeasyPrint's Pango and a font, LibreOffice Writer and
#   poppler for the Word report's pictures; installed only when missing),
#   a throw-away PostgreSQL cluster on 127.0.0.1 (always stopped and removed on exit),
#   ruff check, ruff format --check, mypy, hadolint, pytest.
# `make test` checks before this that the lock files match pyproject.toml and the virtualenv matches the lock.
# Every check runs even when an earlier one fails; the exit status is non-zero when any failed.
# Extra arguments go to pytest: scripts/test.sh -k migrations -x
set -euo pipefail

cd "$(dirname "$0")/.."
VENV_BIN="${VENV_BIN:-.venv/bin}"
PG_PORT="${PG_PORT:-54329}"
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"

# shellcheck source=scripts/common.sh
source scripts/common.sh

# --- system packages --------------------------------------------------------------------------------------
has_lib() { compgen -G "/usr/lib/*/$1" >/dev/null || compgen -G "/usr/lib/$1" >/dev/null; }

missing=()
[[ -x "$CHROMIUM" ]] || missing+=(chromium)
[[ -n "$(pg_bindir)" ]] || missing+=(postgresql)
command -v wrk >/dev/null || missing+=(wrk)  # the load generator of bench/throughput.py (its smoke test)
# WeasyPrint (PDF banner) loads Pango at run time and needs a font.
has_lib libpango-1.0.so.0 || missing+=(libpango-1.0-0)
has_lib libpangoft2-1.0.so.0 || missing+=(libpangoft2-1.0-0)
# CairoSVG (the Word report's pictures) loads Cairo at run time.
has_lib libcairo.so.2 || missing+=(libcairo2)
[[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]] || missing+=(fonts-dejavu-core)
# The Word reports are opened in LibreOffice (Writer, no GUI) and drawn as PNG by poppler; Carlito has Calibri's
# metrics, so the pages break where Word breaks them (tests/reports/test_word_rendering.py).
command -v soffice >/dev/null || missing+=(libreoffice-writer-nogui)
command -v pdftoppm >/dev/null || missing+=(poppler-utils)
compgen -G "/usr/share/fonts/truetype/crosextra/Carlito-*.ttf" >/dev/null || missing+=(fonts-crosextra-carlito)
install_missing "${missing[@]}"
[[ -x "$CHROMIUM" ]] || die "chromium was installed but $CHROMIUM does not exist"
PG_BIN="$(pg_bindir)"
[[ -n "$PG_BIN" ]] || die "no initdb under /usr/lib/postgresql/*/bin after installing postgresql"

# --- throw-away PostgreSQL cluster (LEERREVIEW_TEST_POSTGRES_URL; stopped and removed on exit) ------------
# shellcheck source=scripts/pg_cluster.sh
source scripts/pg_cluster.sh

# --- checks -----------------------------------------------------------------------------------------------
failed=()
run() {
    local name="$1"
    shift
    say "$name"
    if "$@"; then
        return 0
    fi
    failed+=("$name")
}

run "ruff check" "$VENV_BIN/ruff" check .
run "ruff format --check" "$VENV_BIN/ruff" format --check .
run "mypy" "$VENV_BIN/mypy"
run "hadolint Dockerfile" "$VENV_BIN/hadolint" Dockerfile
run "pytest" "$VENV_BIN/python" -m pytest "$@"

if ((${#failed[@]})); then
    printf '\nFAILED: %s\n' "${failed[*]}" >&2
    exit 1
fi
printf '\nAll checks passed.\n'
