#!/usr/bin/env bash
# Starts a local PostgreSQL server for the ledger tests and prints its Npgsql connection
# string on stdout; every progress message goes to stderr. Safe to run again: it reuses an
# installed server and a running cluster. Needs root (or sudo) to install and start it.
#
#   export EDGEIOT_TEST_POSTGRES=$(bash .ci/postgres.sh)
#
# Environment: EDGEIOT_PG_PASSWORD sets the postgres user's password (default "postgres").
set -euo pipefail

password="${EDGEIOT_PG_PASSWORD:-postgres}"
cluster="main"

log() { echo "postgres.sh: $*" >&2; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        log "must run as root or with sudo to run: $*"
        exit 1
    fi
}

as_postgres() {
    if [ "$(id -u)" -eq 0 ]; then
        su postgres -c "$*"
    else
        sudo -u postgres sh -c "$*"
    fi
}

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

if ! command -v pg_lsclusters >/dev/null 2>&1 || [ -z "$(ls /usr/lib/postgresql 2>/dev/null)" ]; then
    log "installing the Debian package postgresql"
    as_root apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq postgresql >&2
fi

version="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
if ! pg_lsclusters -h | awk -v v="$version" -v c="$cluster" '$1 == v && $2 == c { found = 1 } END { exit !found }'; then
    log "creating cluster $version/$cluster"
    as_root pg_createcluster "$version" "$cluster" >&2
fi

status="$(pg_lsclusters -h | awk -v v="$version" -v c="$cluster" '$1 == v && $2 == c { print $4 }')"
port="$(pg_lsclusters -h | awk -v v="$version" -v c="$cluster" '$1 == v && $2 == c { print $3 }')"

if [ "$status" != "online" ]; then
    # Another server may own the configured port; pick the next free one.
    while port_in_use "$port"; do
        port=$((port + 1))
    done
    as_root pg_conftool "$version" "$cluster" set port "$port"
    # A conf.d file, because pg_conftool writes an IP address without the quotes it needs.
    echo "listen_addresses = '127.0.0.1'" | as_root tee "/etc/postgresql/$version/$cluster/conf.d/edgeiot.conf" >/dev/null
    log "starting cluster $version/$cluster on 127.0.0.1:$port"
    as_root pg_ctlcluster "$version" "$cluster" start >&2
fi

for _ in $(seq 1 60); do
    if pg_isready -q -h 127.0.0.1 -p "$port"; then
        break
    fi
    sleep 0.5
done
if ! pg_isready -q -h 127.0.0.1 -p "$port"; then
    log "server on 127.0.0.1:$port did not become ready; see /var/log/postgresql/postgresql-$version-$cluster.log"
    exit 1
fi

as_postgres "psql -q -p $port -c \"ALTER USER postgres PASSWORD '$password'\"" >&2

echo "Host=127.0.0.1;Port=$port;Username=postgres;Password=$password;Database=postgres"
