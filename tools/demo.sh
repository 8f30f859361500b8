#!/usr/bin/env bash
# README command 1: install the build dependencies, build, and run the main
# job: spcat, sockport's netcat, carries 1 MiB over real loopback TCP from one
# process to another (listener on an ephemeral port, client connecting to
# it), and the file must arrive intact; then the one-process TCP echo.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install-deps.sh
cmake --preset linux
cmake --build --preset linux

spcat=./build/linux/tools/spcat/spcat
work=$(mktemp -d)
listener=""
trap '[ -n "$listener" ] && kill "$listener" 2>/dev/null; rm -rf "$work"' EXIT
head -c 1048576 /dev/urandom > "$work/sent"

"$spcat" -l -v 127.0.0.1:0 < /dev/null > "$work/received" 2> "$work/listener.log" &
listener=$!
for _ in $(seq 200); do   # up to 10 s for "spcat: listening on 127.0.0.1:PORT"
    grep -q '^spcat: listening on ' "$work/listener.log" && break
    sleep 0.05
done
addr=$(sed -n 's/^spcat: listening on //p' "$work/listener.log")
[ -n "$addr" ] || { cat "$work/listener.log" >&2; exit 1; }

"$spcat" -v -w 5 "$addr" < "$work/sent"
wait "$listener"
listener=""
cat "$work/listener.log"
cmp "$work/sent" "$work/received"
echo "demo: spcat carried $(wc -c < "$work/sent") bytes over $addr, intact"

./build/linux/examples/echo
