#!/usr/bin/env bash
# The desktop app in a window (it needs a display): the same screens as the
# phone, against a sync server, its store in a per-user folder
# (~/.local/share/alongside on Linux).
#
#   android/desktop.sh [server URL] [--language es]
#
# With no URL it uses http://127.0.0.1:8787, where `cargo run -p
# alongside-server -- serve` listens; make people there with the server's CLI
# (server/README.md), for example:
#   cargo run -p alongside-server -- user add --username maria --role peer_worker --display-name Maria
set -euo pipefail
cd "$(dirname "$0")/.."
tests/require-jvm.sh
lib=$(bindings/generate.sh | tail -n 1)
url=http://127.0.0.1:8787
language=
while [ $# -gt 0 ]; do
    case $1 in
        --language) language=$2; shift 2 ;;
        *) url=$1; shift ;;
    esac
done
mvn -B -q -f android/pom.xml install -DskipTests
mvn -B -q -f android/desktop/pom.xml exec:exec@app -Dalongside.lib.dir="$(dirname "$lib")" \
    -Dalongside.server.url="$url" -Dalongside.language="$language"
