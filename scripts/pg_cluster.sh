# Sourced by scripts/test.sh and scripts/bench.sh (after scripts/common.sh; they set PG_BIN and PG_PORT): a
# throw-away PostgreSQL cluster on 127.0.0.1 near $PG_PORT with fsync off, always stopped and removed on exit;
# exports LEERREVIEW_TEST_POSTGRES_URL, its admin URL.
# initdb refuses to run as root: as root the cluster belongs to the `postgres` OS user (created by the
# Debian package; created here when absent), otherwise to the current user.
if [[ "$(id -u)" -eq 0 ]]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    as_pg() { runuser -u postgres -- "$@"; }
else
    as_pg() { "$@"; }
fi

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for _ in $(seq 1 50); do
    port_free "$PG_PORT" && break
    PG_PORT=$((PG_PORT + 1))
done
port_free "$PG_PORT" || die "no free port for PostgreSQL near $PG_PORT"

PG_DIR="$(mktemp -d "${TMPDIR:-/tmp}/leerreview-pg.XXXXXX")"
chmod 700 "$PG_DIR"
if [[ "$(id -u)" -eq 0 ]]; then chown postgres: "$PG_DIR"; fi

stop_pg() {
    if [[ -f "$PG_DIR/data/postmaster.pid" ]]; then
        as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$PG_DIR"
}
trap stop_pg EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

say "Starting a throw-away PostgreSQL ($PG_BIN) on 127.0.0.1:$PG_PORT"
(
    cd /  # the postgres user may not be allowed into the working directory
    as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
        >"$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log" >&2; exit 1; }
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 start \
        -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR -c fsync=off -c full_page_writes=off" \
        >/dev/null || { cat "$PG_DIR/server.log" >&2; exit 1; }
) || die "PostgreSQL did not start"
export LEERREVIEW_TEST_POSTGRES_URL="postgresql+psycopg://postgres@127.0.0.1:$PG_PORT/postgres"

