# gnuplot script for bin/bench-compare: ops/s per system for each (w, clients) row.
# usage: gnuplot -e "datafile='table.md.tsv'; outfile='img/bench-compare.png'" bench/compare.gp
set terminal pngcairo size 900,520 font ",10"
set output outfile
set title "Durable writes/s on one 2-core machine (loopback, 100-byte messages, closed loop)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set ylabel "acknowledged writes/s"
set key outside bottom center horizontal
set grid ytics
set yrange [0:*]
plot datafile using 2:xtic(1) title "replog (fsync=group)", \
     '' using 3 title "Redis (appendfsync always, SET+WAIT w-1)", \
     '' using 4 title "etcd (put, majority)"
