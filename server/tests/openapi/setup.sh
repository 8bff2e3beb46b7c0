#!/usr/bin/env bash
# Sets up schemathesis, the OpenAPI conformance tester run.sh runs against the
# server: a venv with it and everything it installs pinned (requirements.txt).
#
#   server/tests/openapi/setup.sh [VENV_DIR]      # default: target/openapi-venv
#
# Prints the venv's `st` (schemathesis's command) on its last line.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
venv=${1:-$root/target/openapi-venv}

"$root/tests/pinned-venv.sh" "$venv" "$here/requirements.txt" >/dev/null
"$venv/bin/st" --version >&2
echo "$venv/bin/st"
