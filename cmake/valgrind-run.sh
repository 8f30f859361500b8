#!/usr/bin/env bash
# CMAKE_CROSSCOMPILING_EMULATOR of the `valgrind` preset (CMake 3.25 prefixes
# every add_test of a built program with it, cross-compiling or not): runs
# one test program under memcheck.
#   clean run:  the program's output and exit status, unchanged;
#   any error:  valgrind's report, "[  ERROR   ] valgrind: ...", exit 1, and
#               the program's own output withheld (kept in a file), so that
#               no PASS_REGULAR_EXPRESSION can match: tests that judge by
#               their output fail as surely as those that judge by status.
# Memcheck flags: --leak-check=full, definite and indirect leaks are errors,
# --track-fds=yes (open descriptors at exit are listed in the report;
# sockport's own suites fail on a leaked descriptor themselves).
# Usage: valgrind-run.sh program [args...]
set -u
out=$(mktemp "${TMPDIR:-/tmp}/sockport-vg-out.XXXXXX")
log=$(mktemp "${TMPDIR:-/tmp}/sockport-vg-log.XXXXXX")
valgrind --quiet --error-exitcode=97 --leak-check=full \
    --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
    --track-fds=yes --trace-children=no --log-file="$log" "$@" >"$out" 2>&1
rc=$?
if [ "$rc" -eq 97 ]; then
    cat "$log"
    echo "[  ERROR   ] valgrind: memcheck found errors in $1 (its output: $out)"
    rm -f "$log"
    exit 1
fi
cat "$out"
rm -f "$out" "$log"
exit "$rc"
