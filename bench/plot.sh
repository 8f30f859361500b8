#!/usr/bin/env bash
# Draws the wall-clock ratios sockport/raw per operation, beside the noise
# floor raw'/raw of the same triples, from the records `sp_bench wall`
# printed (bench/results/wall.tsv).
#
#   bash bench/plot.sh WALL_TSV OUT_PNG
set -euo pipefail
wall=${1:?wall.tsv}
png=${2:?out.png}
data=$(mktemp)
trap 'rm -f "$data"' EXIT

# i  label  ratio rmin rmax  noise nmin nmax  target
awk -F'\t' '$1 == "wall" {
    label = $2; sub(/_/, " ", label); gsub(/_/, " ", label)
    t = $12; sub(/[<>=]+/, "", t)
    printf "%d\t\"%s\\n(%s)\"\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", n++, label, ($12 ~ /</ ? "latency: lower is better" : "throughput: higher is better"), $3, $5, $6, $4, $7, $8, t
}' "$wall" >"$data"
if [ ! -s "$data" ]; then
    echo "plot.sh: no wall records in $wall" >&2
    exit 1
fi
n=$(wc -l <"$data")

gnuplot <<GP
set terminal pngcairo size 1100,600 font "sans,11"
set output "$png"
set title "sockport / raw syscalls, wall clock: median of interleaved triples (bars: min to max)"
set ylabel "ratio"
set xrange [-0.6:$n - 0.4]
set yrange [0.5 < * < 0.9 : 1.1 < * < 2.0]
set bmargin 5
set grid ytics
set key top left box opaque
set xtics nomirror
set datafile separator "\t"
set object 1 rect from -0.6,0.97 to $n - 0.4,1.03 fc rgb "#eeeeee" fs solid 1.0 noborder behind
set arrow from -0.6,1 to $n - 0.4,1 nohead lc rgb "#888888" dt 2
plot 1/0 with boxes fc rgb "#eeeeee" fs solid 1.0 title "1 ± 0.03 (noise floor limit)", \
     "$data" using (\$1 - 0.15):3:4:5:xticlabels(2) with yerrorbars pt 7 ps 1.4 lc rgb "#1f5fbf" title "sockport/raw", \
     "$data" using (\$1 - 0.15):3:(sprintf("%.3f", \$3)) with labels offset -4.5,0 tc rgb "#1f5fbf" notitle, \
     "$data" using (\$1 + 0.15):6:7:8 with yerrorbars pt 5 ps 1.1 lc rgb "#999999" title "noise floor raw'/raw", \
     "$data" using (\$1 + 0.15):6:(sprintf("%.3f", \$6)) with labels offset 4.5,0 tc rgb "#777777" notitle, \
     "$data" using 1:9 with points pt 2 ps 2 lc rgb "#c0392b" title "target"
GP
