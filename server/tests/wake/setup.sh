#!/usr/bin/env bash
# Sets up the Python that the wake-up tests' loopback endpoints run on: a venv
# with independent implementations of RFC 8291 (http_ece), VAPID (py-vapid),
# JWTs (PyJWT) and their primitives (cryptography), pinned.
#
#   server/tests/wake/setup.sh [VENV_DIR]      # default: target/wake-venv
#   ALONGSIDE_WAKE_PYTHON=target/wake-venv/bin/python cargo test -p alongside-server --test 'wake_*'
#
# Prints the venv's python on its last line.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
venv=${1:-$root/target/wake-venv}

if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv" >&2
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
  http_ece==1.2.1 py-vapid==1.9.6 cryptography==50.0.2 PyJWT==2.15.1 >&2
"$venv/bin/python" -c 'import http_ece, py_vapid, jwt, cryptography' >&2
echo "$venv/bin/python"
