#!/usr/bin/env bash
# CMAKE_CROSSCOMPILING_EMULATOR for the MinGW build: run one Windows program
# under Wine, quietly, and exit with its exit code.
# Usage: wine-run.sh prog.exe [args...]
# Env: SOCKPORT_WINEPREFIX  prefix to use (default: one per user under $TMPDIR)
#      SOCKPORT_WINEDEBUG   WINEDEBUG value (default: -all,err+module)
#      SOCKPORT_WINE_LINGER seconds the wineserver outlives the last program (default 60)
set -euo pipefail

export WINEPREFIX="${SOCKPORT_WINEPREFIX:-${TMPDIR:-/tmp}/sockport-wine-$UID}"
export WINEARCH=win64                     # Debian's wine64; no wine32 needed
# Quiet, except the loader's errors: a missing DLL otherwise shows only as exit 53.
export WINEDEBUG="${SOCKPORT_WINEDEBUG:--all,err+module}"
export WINEDLLOVERRIDES="mscoree,mshtml=" # never offer to install Mono/Gecko
export DISPLAY=                           # no X: no dialogs, console only
unset WAYLAND_DISPLAY

# One wineserver (and Wine's services) stays up between the many short test
# programs: a cold start costs ~1 s, a run against a live server ~50 ms.
# Exit 0: we started it; 2: one is already running (~10 ms either way).
start_server() { wineserver -p"${SOCKPORT_WINE_LINGER:-60}" </dev/null >/dev/null 2>&1; }

# Under a lock on fd 9, since ctest -jN starts several of us at once:
# - first use: create the prefix with wineboot (~6 s);
# - fresh server: start Wine's services (services.exe, winedevice, ...) from a
#   dummy program with stdio on /dev/null. Started by a test instead, they
#   would inherit its stdout/stderr pipe, and ctest would wait on that pipe
#   until the server lingered out: the test would time out.
# Children get 9>&- so that no lingering Wine process keeps the lock.
ready="$WINEPREFIX/.sockport-ready"
[ -d "$WINEPREFIX" ] || mkdir -p "$WINEPREFIX"
exec 9>"$WINEPREFIX.lock"
flock 9
if [ ! -e "$ready" ]; then
    start_server 9>&- || true
    # -i also repairs a prefix left half-made by an interrupted run.
    wineboot -i </dev/null >/dev/null 2>&1 9>&- ||
        { echo "wine-run.sh: wineboot -i failed in $WINEPREFIX" >&2; exit 1; }
    touch "$ready"
elif start_server 9>&-; then
    wine cmd.exe /c exit 0 </dev/null >/dev/null 2>&1 9>&- || true
fi
exec 9>&- # unlock

# Wine returns the program's exit code (truncated to 8 bits, never 0 for a
# non-zero code); an unhandled exception gives the low byte of its code.
exec wine "$@"
