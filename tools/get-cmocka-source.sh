#!/usr/bin/env bash
# Fetch Debian's cmocka source package (for the MinGW cross build) with apt
# only, and unpack it at a stable path: <dest>/cmocka-src (a symlink).
# Usage: tools/get-cmocka-source.sh [dest]   (default: <repo>/build/deps)
# Idempotent: a second run finds the tree and does nothing.
set -euo pipefail

dest=${1:-$(dirname "$0")/../build/deps}
mkdir -p "$dest"
dest=$(cd "$dest" && pwd)
if [ -f "$dest/cmocka-src/include/cmocka.h" ]; then
    echo "cmocka source: $dest/cmocka-src (already there)"
    exit 0
fi

# 1. A deb-src entry, only if apt cannot see cmocka's source yet: copy
#    URIs/Suites/Components/Signed-By of the machine's Debian stanza (the one
#    with this release's codename) into a Types: deb-src stanza of our own.
srcfile=/etc/apt/sources.list.d/sockport-deb-src.sources
debsrc=/etc/apt/sources.list.d/debian.sources
if ! apt-cache showsrc cmocka >/dev/null 2>&1; then
    if [ ! -e "$srcfile" ]; then
        [ "$(id -u)" -eq 0 ] || { echo "need root to add $srcfile" >&2; exit 1; }
        [ -r "$debsrc" ] || { echo "no $debsrc to copy a deb-src entry from" >&2; exit 1; }
        # shellcheck source=/dev/null
        . /etc/os-release
        # deb822: stanzas are separated by blank lines; drop comments.
        awk -v code="$VERSION_CODENAME" 'BEGIN { RS = ""; FS = "\n" }
            $0 ~ "\nSuites:[^\n]*[[:space:]]" code "([[:space:]]|$)" {
                print "# Added by sockport tools/get-cmocka-source.sh"
                print "Types: deb-src"
                for (i = 1; i <= NF; i++)
                    if ($i ~ /^(URIs|Suites|Components|Signed-By):/) print $i
                exit
            }' "$debsrc" >"$srcfile.tmp"
        grep -q '^URIs:' "$srcfile.tmp" ||
            { rm -f "$srcfile.tmp"; echo "no $VERSION_CODENAME stanza in $debsrc" >&2; exit 1; }
        mv "$srcfile.tmp" "$srcfile"
    fi
    apt-get update -qq # fetch the Sources index the entry names
fi

# 2. Download as the _apt sandbox user: as root, apt drops privileges to
#    _apt, which must be able to write the download directory (otherwise it
#    warns and downloads unsandboxed). So stage in a dir owned by _apt.
stage=$(mktemp -d "$dest/.apt-dl.XXXXXX")
trap 'rm -rf "$stage"' EXIT
if [ "$(id -u)" -eq 0 ] && id _apt >/dev/null 2>&1; then
    chown _apt "$stage"
fi
(cd "$stage" && apt-get source -qq --download-only cmocka)

# 3. Unpack (applies debian/patches). apt already checked the files against
#    the signed Sources index; dpkg-source's own gpgv check has no keyring
#    and only warns, so its chatter is shown on failure only.
dsc=$(ls "$stage"/cmocka_*.dsc)
ver=$(basename "$dsc" .dsc); ver=${ver#cmocka_}
rm -rf "$dest/cmocka-$ver"
log=$(dpkg-source --no-copy -x "$dsc" "$dest/cmocka-$ver" 2>&1) || { echo "$log" >&2; exit 1; }
cp "$stage"/cmocka_*.orig.tar.?z "$dest"/  # the pristine upstream archive, too
ln -sfn "cmocka-$ver" "$dest/cmocka-src"
echo "cmocka source: $dest/cmocka-src -> cmocka-$ver"
