#!/usr/bin/env bash
# A Python venv holding exactly the pinned requirements of one set of checks
# (the wake-up stand-ins, schemathesis, the Swift parser): made once, and
# installed into again only when the pins change, so a warm run costs nothing.
#
#   tests/pinned-venv.sh VENV_DIR REQUIREMENTS_FILE     # prints the venv's python
set -euo pipefail

venv=$1
requirements=$2

if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv" >&2
fi
if ! cmp -s "$requirements" "$venv/requirements.installed"; then
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements" >&2
  cp "$requirements" "$venv/requirements.installed"
fi
echo "$venv/bin/python"
