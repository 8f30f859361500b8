#!/usr/bin/env bash
# README command 2: every test suite. Linux natively, then (issue #4) the
# Windows build under Wine. Fails on the first failing workflow.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --workflow --preset linux
