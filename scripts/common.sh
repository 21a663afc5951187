# Sourced by scripts/test.sh and scripts/bench.sh: how they speak, where PostgreSQL's programs are, and installing
# the Debian packages they need.
say() { printf '\n==> %s\n' "$*"; }
die() { printf '\nERROR: %s\n' "$*" >&2; exit 1; }

# The bin directory of the newest PostgreSQL with an initdb (Debian: /usr/lib/postgresql/<version>/bin), or nothing.
pg_bindir() {
    local dir
    for dir in /usr/lib/postgresql/*/bin; do
        if [[ -x "$dir/initdb" ]]; then echo "$dir"; fi
    done | sort -V | tail -n 1
}

# Install the Debian packages named (those found missing); as root only, else stop and say what to install.
install_missing() {
    (($#)) || return 0
    if [[ "$(id -u)" -ne 0 ]]; then
        die "missing system packages: $*. Install them as root: apt-get install $*"
    fi
    say "Installing Debian packages: $*"
    export DEBIAN_FRONTEND=noninteractive
    local apt_log
    apt_log="$(mktemp)"
    if ! { apt-get update -q && apt-get install -y -q --no-install-recommends "$@"; } >"$apt_log" 2>&1; then
        cat "$apt_log" >&2
        die "apt-get install $* failed"
    fi
    rm -f "$apt_log"
}
