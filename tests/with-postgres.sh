#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL cluster on a free loopback port.
# Installs PostgreSQL from Debian's packages if it is missing. The cluster lives
# in a temporary folder and is stopped and removed when the command ends.
#
#   tests/with-postgres.sh cargo test -p alongside-server
#
# The command sees ALONGSIDE_TEST_POSTGRES_URL (postgres://alongside@127.0.0.1:PORT/alongside),
# and ALONGSIDE_TEST_POSTGRES_BIN, the cluster's programs (pg_dump, pg_restore).
set -euo pipefail

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "with-postgres: installing PostgreSQL from Debian's packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
  bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi

# initdb refuses to run as root: run the cluster as an unprivileged user.
run_as=()
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  run_as=(runuser -u postgres --)
fi

dir=$(mktemp -d /tmp/alongside-pg.XXXXXX)
chmod 755 "$dir"
[ ${#run_as[@]} -gt 0 ] && chown postgres "$dir"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

cleanup() {
  "${run_as[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT

"${run_as[@]}" "$bindir/initdb" -D "$dir/data" -U alongside --auth=trust -E UTF8 >/dev/null
"${run_as[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
  -o "-c listen_addresses=127.0.0.1 -c port=$port -k $dir -c fsync=off -c max_connections=300" start >/dev/null
"${run_as[@]}" "$bindir/createdb" -h 127.0.0.1 -p "$port" -U alongside alongside

export ALONGSIDE_TEST_POSTGRES_URL="postgres://alongside@127.0.0.1:$port/alongside"
export ALONGSIDE_TEST_POSTGRES_BIN="$bindir"
"$@"
