#!/usr/bin/env bash
# Installs a JDK and Maven from Debian's packages if either is missing
# (the Kotlin tests of the bindings and the app need both).
set -euo pipefail
if ! command -v mvn >/dev/null || ! command -v javac >/dev/null; then
    echo "installing a JDK and Maven from Debian's packages" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq default-jdk-headless maven >&2
fi
