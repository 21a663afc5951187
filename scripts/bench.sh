#!/usr/bin/env bash
# Every figure of README's "Benchmarks" in one run (`make bench`): installs Debian's wrk and postgresql when missing,
# starts a throw-away PostgreSQL cluster (scripts/pg_cluster.sh), then runs, one after another:
#   bench/throughput.py            bare FastAPI vs /api/v1/ping vs sticker POSTs (wrk), SQLite, one worker
#   bench/throughput.py --postgres stickers vs ping with 30 at once, PostgreSQL, two workers
#   bench/live.py                  sticker→screen latency with 30, 300 and 1,000 screens (SQLite)
#   bench/load.py                  50 rooms × 10 phones × 3 stickers, 50 in flight (SQLite, then PostgreSQL ×2)
#   bench/lifeline.py              the life-line figure
# Takes about 5 minutes on 2 quiet cores (20 on a busy machine). Run it on a quiet machine: every figure is a ratio
# within one run, but a busy machine still moves them.
set -euo pipefail

cd "$(dirname "$0")/.."
VENV_BIN="${VENV_BIN:-.venv/bin}"
PG_PORT="${PG_PORT:-54359}"
PY="$VENV_BIN/python"

# shellcheck source=scripts/common.sh
source scripts/common.sh

missing=()
command -v wrk >/dev/null || missing+=(wrk)
[[ -n "$(pg_bindir)" ]] || missing+=(postgresql)
install_missing "${missing[@]}"
PG_BIN="$(pg_bindir)"
[[ -n "$PG_BIN" ]] || die "no initdb under /usr/lib/postgresql/*/bin after installing postgresql"
# shellcheck source=scripts/pg_cluster.sh
source scripts/pg_cluster.sh
PG="$LEERREVIEW_TEST_POSTGRES_URL"

say "machine: $(nproc) cores, $(uname -srm), $(date -u '+%Y-%m-%d %H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
started=$SECONDS
say "bench/throughput.py (SQLite, 1 worker)"; "$PY" bench/throughput.py
say "bench/throughput.py (PostgreSQL, 2 workers)"; "$PY" bench/throughput.py --postgres "$PG" --workers 2
say "bench/live.py (SQLite, 1 worker)"; "$PY" bench/live.py --screens 30,300,1000
say "bench/load.py (SQLite, 1 worker)"; "$PY" bench/load.py
say "bench/load.py (PostgreSQL, 2 workers)"; "$PY" bench/load.py --postgres "$PG" --workers 2
say "bench/lifeline.py"; "$PY" bench/lifeline.py
say "all benchmarks in $(( (SECONDS - started) / 60 )) min $(( (SECONDS - started) % 60 )) s; load average now $(cut -d' ' -f1-3 /proc/loadavg)"
