#!/usr/bin/env bash
# Checks the server against its own OpenAPI description with schemathesis, a
# tool nobody here wrote: a real `alongside-server serve` on a loopback port,
# users made with its CLI, every operation called with generated requests,
# valid and not, for a bounded time. Fails on any 5xx and on any answer whose
# status, content type, headers or body the description does not allow.
#
#   server/tests/openapi/run.sh                                 # a fresh SQLite database
#   ALONGSIDE_OPENAPI_DATABASE=postgres://… server/tests/openapi/run.sh
#
# ALONGSIDE_OPENAPI_SECS is the time budget (default 120 s);
# ALONGSIDE_OPENAPI_SEED replays a run (schemathesis prints each run's seed).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
secs=${ALONGSIDE_OPENAPI_SECS:-120}

st=$("$here/setup.sh" | tail -n 1)
(cd "$root" && cargo build --quiet -p alongside-server)
server="$root/target/debug/alongside-server"

work=$(mktemp -d /tmp/alongside-openapi.XXXXXX)
pid=
cleanup() {
  if [ -n "$pid" ]; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

database=${ALONGSIDE_OPENAPI_DATABASE:-sqlite://$work/server.db}
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port"

# One user of each role, made as an operator would, with the CLI (the
# password on standard input); hooks.py signs in as them through the API.
password=$(python3 -c 'import secrets; print(secrets.token_urlsafe(18))')
add_user() {
  printf '%s\n' "$password" | "$server" user add --database "$database" --username "$1" --role "$2" --display-name "$3" >/dev/null
}
add_user st-participant participant "Pat"
add_user st-peer-worker peer_worker "Will"
add_user st-admin admin "Ada"
"$server" caseload assign --database "$database" --peer-worker st-peer-worker --participant st-participant >/dev/null

# Keep-alive comments every second, so the event stream speaks within the
# short time schemathesis reads it (schemathesis.toml).
"$server" serve --database "$database" --listen "127.0.0.1:$port" --events-keep-alive-secs 1 2>"$work/server.log" &
pid=$!

export SCHEMATHESIS_HOOKS="$here/hooks.py"
export ALONGSIDE_OPENAPI_URL="$url" ALONGSIDE_OPENAPI_PASSWORD="$password"
export ALONGSIDE_OPENAPI_PARTICIPANT=st-participant ALONGSIDE_OPENAPI_PEER_WORKER=st-peer-worker ALONGSIDE_OPENAPI_ADMIN=st-admin
seed=()
if [ -n "${ALONGSIDE_OPENAPI_SEED:-}" ]; then
  seed=(--seed "$ALONGSIDE_OPENAPI_SEED")
fi
# From the temporary folder: whatever schemathesis keeps between runs stays out of the tree.
status=0
(cd "$work" && "$st" --config-file "$here/schemathesis.toml" --no-color run "$url/v1/openapi.json" \
  --url "$url" --wait-for-schema 30 --max-time "$secs" "${seed[@]}") || status=$?
if [ "$status" != 0 ]; then
  echo "openapi: the server's warnings and errors (its log never holds tokens or record contents):" >&2
  grep -E ' (WARN|ERROR) ' "$work/server.log" | tail -n 50 >&2 || true
fi
exit "$status"
