#!/usr/bin/env bash
# Sets up the Python that the wake-up tests' loopback endpoints run on: a venv
# with independent implementations of RFC 8291 (http_ece), VAPID (py-vapid),
# JWTs (PyJWT) and their primitives (cryptography), pinned in requirements.txt.
#
#   server/tests/wake/setup.sh [VENV_DIR]      # default: target/wake-venv
#   ALONGSIDE_WAKE_PYTHON=target/wake-venv/bin/python cargo test -p alongside-server --test 'wake_*'
#
# Prints the venv's python on its last line.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
venv=${1:-$root/target/wake-venv}

python=$("$root/tests/pinned-venv.sh" "$venv" "$here/requirements.txt")
"$python" -c 'import http_ece, py_vapid, jwt, cryptography' >&2
echo "$python"
