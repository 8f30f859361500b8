#!/usr/bin/env bash
# The deterministic perf gates of issue #7: instruction counts (callgrind)
# and allocation counts (a counting sockport allocator, and memcheck), each
# compared with its target. Prints the numbers; exits 1 when a target is
# missed, 0 otherwise. CTest runs it as the tests perf.io, perf.alloc,
# perf.parse and perf.format (label `perf`); bench/run.sh reads OUTDIR/*.tsv.
#
#   perf_gate.sh GATE VALGRIND SP_BENCH OUTDIR      GATE: io|alloc|parse|format
#
# Counting: sp_bench's measured calls live in functions named bench_op_*,
# collected with --toggle-collect; every phase runs N then 2N times and is
# dumped by name, and one call costs (Ir(2N) - Ir(N)) / N: setup, first-call
# binding and teardown cancel exactly. Syscalls run in the kernel and are not
# counted, so what remains is the user-space cost of each path.
set -euo pipefail

# Budgets: extra user-space Ir per call, sockport over raw libc.
IO_MAX_EXTRA_IR=30       # send, recv, sendv, recvv (issue #7)
IO_MAX_EXTRA_IR_ADDR=64  # send_to, recv_from: 30 + what the portable address costs, see below
IO_GATED="send recv send_to recv_from sendv recvv" # mmsg and poll: reported, gated on allocations
FORMAT_V4_FACTOR=4       # sockport_addr_format <= glibc inet_ntop+snprintf / 4 (IPv4)
FORMAT_V6_FACTOR=3.5     # ... / 3.5 (IPv6)
IO_ITERS=200
ADDR_ITERS=100
ALLOC_ITERS=50

gate=${1:?gate}
valgrind=${2:?valgrind}
bench=${3:?sp_bench}
out=${4:?outdir}
mkdir -p "$out"

# callgrind NAME ARGS...: runs sp_bench under callgrind, writes OUT/NAME.phases
# ("phase<TAB>Ir" for every dumped phase).
callgrind() {
    local name=$1
    shift
    rm -f "$out/cg.$name" "$out/cg.$name".*
    "$valgrind" --tool=callgrind --collect-atstart=no --toggle-collect='bench_op_*' \
        --compress-strings=no --callgrind-out-file="$out/cg.$name" \
        "$bench" "$@" >"$out/$name.stdout" 2>"$out/$name.valgrind" || {
        cat "$out/$name.valgrind" >&2
        return 1
    }
    local i=1
    while [ -f "$out/cg.$name.$i" ]; do # in dump order: the order sp_bench ran them
        awk '/^desc: Trigger: Client Request: /{t=$5} /^summary: /{s=$2}
             END{if (t != "") print t "\t" s}' "$out/cg.$name.$i"
        i=$((i + 1))
    done >"$out/$name.phases"
}

# per_op PHASES DIVISOR: "key<TAB>Ir per op" from the N and 2N phases of each
# key (a phase is key/N).
per_op() {
    awk -F'\t' -v div="$2" '{
        n = $1; sub(/.*\//, "", n); k = $1; sub(/\/[0-9]+$/, "", k)
        if (k in ir) { d = (n > cnt[k]) ? ($2 - ir[k]) / (n - cnt[k]) : (ir[k] - $2) / (cnt[k] - n)
                       printf "%s\t%.1f\n", k, d / div }
        else { ir[k] = $2; cnt[k] = n }
    }' "$1"
}

# table FILE: a TSV file as aligned columns (no dependency on column(1)).
table() {
    awk -F'\t' '{ for (i = 1; i <= NF; i++) { cell[NR, i] = $i; if (length($i) > w[i]) w[i] = length($i) }
                   if (NF > nf) nf = NF }
        END { for (r = 1; r <= NR; r++) { line = ""
                  for (i = 1; i <= nf; i++) line = line sprintf("%-" (w[i] + 2) "s", cell[r, i])
                  sub(/ +$/, "", line); print line } }' "$1"
}

skips() {
    awk -F'\t' '$1 == "skip" { line = "  skipped:"; for (i = 2; i <= NF; i++) line = line " " $i; print line }' "$1"
}

# send_to and recv_from carry a sockport_addr, which is not the native
# layout: each call checks its family in the core and again in the backend,
# and converts it (recv_from zeroes all 124 bytes, as sockport_addr_ipv4
# does, so that addresses compare bytewise). That costs about 25 Ir that the
# raw baseline, holding a ready sockaddr_in, never pays; no amount of tuning
# brings it under 30 without a native-layout address type (bench/README.md).
gate_io() {
    callgrind io io --iters "$IO_ITERS"
    per_op "$out/io.phases" 1 >"$out/io.perop"
    awk -F'\t' -v max="$IO_MAX_EXTRA_IR" -v maxaddr="$IO_MAX_EXTRA_IR_ADDR" -v gated="$IO_GATED" \
        -f - "$out/io.perop" >"$out/io.tsv" <<'AWK'
BEGIN { n = split(gated, g, " "); for (i = 1; i <= n; i++) gate[g[i]] = (g[i] ~ /_(to|from)$/) ? maxaddr : max }
{ split($1, p, "/"); op = p[2]; m = p[3]; v[op, m] = $2; if (!(op in seen)) { seen[op] = 1; ops[++k] = op } }
END {
    print "op\traw\tsockport\textra\tbudget\tapr\tapr_extra\tverdict"
    for (i = 1; i <= k; i++) {
        op = ops[i]; raw = v[op, "raw"]; sp = v[op, "sockport"]; apr = v[op, "apr"]
        extra = (sp != "" && raw != "") ? sprintf("%.1f", sp - raw) : "-"
        aextra = (apr != "" && raw != "") ? sprintf("%.1f", apr - raw) : "-"
        budget = (op in gate) ? gate[op] : "-"
        if (extra == "-") verdict = "skipped"
        else if (budget == "-") verdict = "info"
        else verdict = (extra + 0 <= budget) ? "PASS" : "FAIL"
        printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", op, raw, (sp == "" ? "-" : sp), extra, budget,
               (apr == "" ? "-" : apr), aextra, verdict
    }
}
AWK
    echo "perf.io: user-space Ir per call (batched: per call of 32 messages); gate: sockport - raw <= budget"
    table "$out/io.tsv"
    skips "$out/io.stdout"
    ! grep -q 'FAIL$' "$out/io.tsv"
}

# memcheck's "total heap usage: N allocs" of `sp_bench io` at ITERS.
heap_allocs() {
    "$valgrind" --tool=memcheck --log-file="$out/memcheck.$1.log" \
        "$bench" io --modes sockport --iters "$1" >/dev/null
    sed -n 's/.*total heap usage: \([0-9,]*\) allocs.*/\1/p' "$out/memcheck.$1.log" | tr -d ,
}

gate_alloc() {
    local n1 n2 a1 a2 delta
    "$bench" io --modes raw,sockport --iters "$ALLOC_ITERS" >"$out/alloc.stdout"
    n1=$ALLOC_ITERS
    n2=$((2 * ALLOC_ITERS))
    a1=$(heap_allocs "$n1")
    a2=$(heap_allocs "$n2")
    delta=$((a2 - a1))
    {
        printf 'op\tmode\tallocs\tcalls\tverdict\n'
        awk -F'\t' '$1 == "allocs" { printf "%s\t%s\t%s\t%s\t%s\n", $2, $3, $4, $5, ($4 == 0 ? "PASS" : "FAIL") }' \
            "$out/alloc.stdout"
        printf 'every op (memcheck)\tsockport\t%s\t%s\t%s\n' "$delta" "$((3 * (n2 - n1)))" \
            "$([ "$delta" -eq 0 ] && echo PASS || echo FAIL)"
    } >"$out/alloc.tsv"
    echo "perf.alloc: heap allocations in steady-state I/O calls; gate: 0"
    echo "  (allocs: sockport_set_allocator's count over the last \`calls\` calls of each op; memcheck:"
    echo "   total heap usage $a1 allocs at N=$n1 and $a2 at N=$n2, differenced, calls per op)"
    table "$out/alloc.tsv"
    skips "$out/alloc.stdout"
    ! grep -q 'FAIL$' "$out/alloc.tsv"
}

# addr_table KIND: OUT/KIND.tsv, Ir per operation by implementation.
addr_table() {
    callgrind "$1" addr --only "$1" --iters "$ADDR_ITERS"
    per_op "$out/$1.phases" 8 | awk -F'\t' '
        { split($1, p, "/"); im = p[3]; v[im, p[4]] = $2; if (!(im in seen)) { seen[im] = 1; ims[++n] = im } }
        END { print "impl\tv4\tv6\tmix"
              for (i = 1; i <= n; i++) { im = ims[i]
                  printf "%s\t%.1f\t%.1f\t%.1f\n", im, v[im, "v4"], v[im, "v6"], (v[im, "v4"] + v[im, "v6"]) / 2 } }' \
        >"$out/$1.tsv"
}

# addr_value KIND IMPL COLUMN
addr_value() {
    awk -F'\t' -v im="$2" -v col="$3" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i } $1 == im { print $c[col] }' \
        "$out/$1.tsv"
}

# check LABEL LHS OP RHS: prints PASS/FAIL for LHS <= RHS, returns 1 on FAIL.
check() {
    if awk -v a="$2" -v b="$3" 'BEGIN { exit !(a <= b) }'; then
        echo "  PASS  $1: $2 <= $3"
    else
        echo "  FAIL  $1: $2 > $3"
        return 1
    fi
}

gate_parse() {
    addr_table parse
    echo "perf.parse: Ir per address parsed (8 IPv4 + 8 IPv6 literals); gate: sockport <= glibc inet_pton on the mix"
    table "$out/parse.tsv"
    skips "$out/parse.stdout"
    check "sockport_addr_ip mix vs inet_pton" "$(addr_value parse sockport mix)" \
        "$(addr_value parse glibc mix)"
}

gate_format() {
    local ok=0 g4 g6
    addr_table format
    g4=$(awk -v g="$(addr_value format glibc v4)" -v f="$FORMAT_V4_FACTOR" 'BEGIN { printf "%.1f", g / f }')
    g6=$(awk -v g="$(addr_value format glibc v6)" -v f="$FORMAT_V6_FACTOR" 'BEGIN { printf "%.1f", g / f }')
    echo "perf.format: Ir per address formatted with its port; gate: sockport <= glibc/$FORMAT_V4_FACTOR (v4), glibc/$FORMAT_V6_FACTOR (v6)"
    table "$out/format.tsv"
    skips "$out/format.stdout"
    check "sockport_addr_format v4 vs (inet_ntop+snprintf)/$FORMAT_V4_FACTOR" \
        "$(addr_value format sockport v4)" "$g4" || ok=1
    check "sockport_addr_format v6 vs (inet_ntop+snprintf)/$FORMAT_V6_FACTOR" \
        "$(addr_value format sockport v6)" "$g6" || ok=1
    return $ok
}

case $gate in
io | alloc | parse | format) "gate_$gate" ;;
*)
    echo "unknown gate: $gate" >&2
    exit 2
    ;;
esac
