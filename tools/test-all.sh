#!/usr/bin/env bash
# README command 2: every test suite. Linux natively (POSIX backend), then the
# MinGW-w64 cross build with the WinSock backend, its tests run under Wine.
# Stops at the first failing workflow.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --workflow --preset linux
bash tools/get-cmocka-source.sh build/deps   # cmocka for MinGW, from Debian's source package
cmake --workflow --preset windows
