#!/usr/bin/env bash
# README command 1: install the build dependencies, build, and run the main
# job: a real TCP echo over loopback through sockport.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install-deps.sh
cmake --preset linux
cmake --build --preset linux
./build/linux/examples/echo
