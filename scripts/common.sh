# Sourced by scripts/test.sh and scripts/bench.sh: how they speak, and where PostgreSQL's programs are.
say() { printf '\n==> %s\n' "$*"; }
die() { printf '\nERROR: %s\n' "$*" >&2; exit 1; }

# The bin directory of the newest PostgreSQL with an initdb (Debian: /usr/lib/postgresql/<version>/bin), or nothing.
pg_bindir() {
    local dir
    for dir in /usr/lib/postgresql/*/bin; do
        if [[ -x "$dir/initdb" ]]; then echo "$dir"; fi
    done | sort -V | tail -n 1
}
