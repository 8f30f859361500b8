#!/usr/bin/env bash
# Rewrites the block between <!-- results:begin --> and <!-- results:end -->
# in bench/README.md from bench/results/*.tsv (written by bench/run.sh).
#
#   bash bench/report.sh RESULTS_DIR README
set -euo pipefail
results=${1:?results dir}
readme=${2:?README}

env_value() {
    awk -F'\t' -v k="$1" '$1 == k { print $2 }' "$results/env.tsv"
}

io_table() {
    echo "| call | raw libc | sockport | sockport − raw | budget | APR | APR − raw | verdict |"
    echo "|---|---:|---:|---:|---:|---:|---:|---|"
    awk -F'\t' 'NR > 1 { printf "| `%s` | %s | %s | **%s** | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8 }' \
        "$results/io.tsv"
}

addr_table() {
    echo "| implementation | parse v4 | parse v6 | parse mix | format v4 | format v6 | format mix |"
    echo "|---|---:|---:|---:|---:|---:|---:|"
    awk -F'\t' 'FNR == 1 { next }
        FILENAME ~ /parse/ { p4[$1] = $2; p6[$1] = $3; pm[$1] = $4; if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1 } }
        FILENAME ~ /format/ { f4[$1] = $2; f6[$1] = $3; fm[$1] = $4 }
        END { for (i = 1; i <= n; i++) { k = order[i]; b = (k == "sockport") ? "**" : ""
              printf "| %s%s%s | %s | %s | %s | %s | %s | %s |\n", b, k, b, p4[k], p6[k], pm[k], f4[k], f6[k], fm[k] } }' \
        "$results/parse.tsv" "$results/format.tsv"
}

alloc_line() {
    awk -F'\t' 'NR > 1 && $2 == "sockport" { ops++; calls += $4; allocs += $3 }
        /memcheck/ { mc = $3 }
        END { printf "Heap allocations in steady-state sockport I/O calls: **%d** in %d calls over %d operations (counting allocator), **%s** more in memcheck'"'"'s total heap usage at 2N than at N.\n", allocs, calls, ops, mc }' \
        "$results/alloc.tsv"
}

wall_table() {
    if [ ! -s "$results/wall.tsv" ]; then
        echo "(wall-clock not run)"
        return
    fi
    echo "| metric | sockport/raw (median) | noise floor raw′/raw (median) | sockport/raw range | raw′/raw range | raw | sockport | unit | target | verdict |"
    echo "|---|---:|---:|---|---|---:|---:|---|---|---|"
    awk -F'\t' '$1 == "wall" { printf "| %s | **%s** | %s | %s–%s | %s–%s | %s | %s | %s | %s | %s |\n", $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13 }
        $1 == "gain" { gain = sprintf("Batched UDP: sockport %s× its own single-datagram rate (raw: %s×), target %s: %s.", $3, $4, $5, $6) }
        $1 == "skip" { skip = skip sprintf("Skipped: %s (%s). ", $2, $3) }
        $1 == "env" && $2 ~ /loadavg|triples|pinned/ { env = env sprintf("%s %s; ", $2, $3) }
        END { print ""; if (gain != "") print gain; if (skip != "") print skip; print ""; print "Run conditions: " env }' \
        "$results/wall.tsv"
}

block() {
    echo "<!-- results:begin (written by bench/report.sh; edit the scripts, not this block) -->"
    echo "Machine: $(env_value cpu), $(env_value nproc) CPUs, kernel $(env_value kernel), $(env_value libc),"
    echo "$(env_value compiler), $(env_value flags). Date $(env_value date), commit $(env_value commit)."
    echo
    echo "### Per-call cost of I/O (callgrind, user-space instructions per call)"
    echo
    io_table
    echo
    alloc_line
    echo
    echo "### Address text (callgrind, instructions per address; 8 IPv4 + 8 IPv6 literals)"
    echo
    addr_table
    echo
    echo "### Wall clock (reported, never gated)"
    echo
    wall_table
    echo
    echo "![sockport/raw ratios with the noise floor](ratios.png)"
    echo "<!-- results:end -->"
}

tmp=$(mktemp)
block >"$tmp.block"
awk -v blockfile="$tmp.block" '
    /<!-- results:begin/ { while ((getline line < blockfile) > 0) print line; skip = 1; next }
    /<!-- results:end/ { skip = 0; next }
    !skip { print }' "$readme" >"$tmp"
cat "$tmp" >"$readme"
rm -f "$tmp" "$tmp.block"
