# The plots of BENCHMARKS.md, from the data files benchmarks/report.py writes.
# Usage: gnuplot -e "dir='benchmarks/target/run-all'" benchmarks/plots.gp
set terminal pngcairo size 1100,500 font "sans,10" noenhanced
set key outside right top
set grid
set datafile missing "0"

have_data(f) = system("test -s " . f . " && echo 1 || echo 0") + 0

# IOPS against queue depth, 4 KiB random O_DIRECT reads, one panel per target.
if (have_data(dir . "/storage-file.dat") || have_data(dir . "/storage-zram0.dat")) {
  set output dir . "/storage-iops.png"
  set multiplot layout 1,2 title "4 KiB random reads, O_DIRECT: IOPS against queue depth (one thread each; JDK: a pool of 8)"
  set logscale x 2
  set xrange [0.8:160]
  set xtics (1, 2, 4, 8, 16, 32, 64, 128)
  set key below horizontal
  set xlabel "queue depth"
  set ylabel "IOPS"
  set format y "%.0s%c"
  set yrange [0:*]
  do for [device in "file zram0"] {
    f = dir . "/storage-" . device . ".dat"
    set title (device eq "file" ? "ext4 file" : "/dev/zram0")
    if (have_data(f)) {
      plot for [i=2:5] f using 1:i with linespoints lw 2 pt 7 title columnheader(i)
    } else {
      # gnuplot refuses a plot with no defined point: an empty panel is a line below its fixed y range.
      set label 1 "not measured in this run" at graph 0.5, 0.5 center
      set yrange [0:1]
      plot -1 notitle
      set yrange [0:*]
      unset label 1
    }
  }
  unset multiplot
  unset logscale x
  set xrange [*:*]
  set xtics autofreq
  set key outside right top vertical nobox
  set format y "%g"
}

# HTTP hot: requests/s per system and file.
if (have_data(dir . "/http-hot.dat")) {
  set output dir . "/http-hot.png"
  set multiplot layout 1,2 title "HTTP, files in the page cache: requests/s (one loop or worker per server, wrk on loopback)"
  set style data histograms
  set style fill solid 0.8 border -1
  set boxwidth 0.8
  set offsets 0, 0, graph 0.08, 0
  set yrange [0:*]
  set xlabel ""
  set ylabel "requests/s"
  unset key
  set key autotitle columnhead
  unset key
  do for [col=2:3] {
    set title system("head -1 " . dir . "/http-hot.dat | cut -d' ' -f" . col) . " file"
    plot dir . "/http-hot.dat" using col:xtic(1) lc rgb "#4477aa", \
         "" using 0:col:(sprintf("%.0f", column(col))) with labels offset 0,0.7 notitle
  }
  unset multiplot
  set key outside right top
}

# Cold mix: latency percentiles of the hot 4 KiB requests while other clients read cold files.
if (have_data(dir . "/http-cold.dat")) {
  set output dir . "/http-cold-latency.png"
  set title "Cold mix: latency of the hot 4 KiB requests while other clients read files not in the page cache"
  set style data linespoints
  set logscale y
  set yrange [*:*]
  set xlabel "percentile"
  set ylabel "latency (ms)"
  set xtics ("p50" 0, "p90" 1, "p99" 2, "p99.9" 3)
  n = system("head -1 " . dir . "/http-cold.dat | wc -w") + 0
  plot for [i=2:n] dir . "/http-cold.dat" using 0:i lw 2 pt 7 title columnheader(i)
}
