# size.gp - one config's kernel size per commit (first-parent order), stacked by class, with
# the largest regressions marked by short sha, author and change.
# kbloat plot runs it in a directory of its own and sets: datafile, regfile, titlefile,
# out, term (fixed file names and words: no text from a name, a path or a database).
# datafile columns: index, sha, text, +rodata, +data, +bss, +init, +percpu/other (each the
# running sum, so that the last is the total); regfile: index, total, label.
if (term eq 'svg') { set terminal svg size 1100,560 dynamic noenhanced font 'sans,11' } \
else { set terminal pngcairo size 1100,560 noenhanced font 'sans,10' }
set output out
# the title is data (the first string of titlefile), so that gnuplot evaluates none of it
title = ''
stats titlefile using (title = strcol(1), 0) nooutput
set title title noenhanced
set key outside right top noenhanced
set xlabel 'commit, in first-parent order'
set ylabel 'bytes'
set format y '%.0s%cB'
set grid ytics
set style fill solid 0.85 noborder
set xrange [0:*]
set yrange [0:*]
set offsets 0, 2, graph 0.22, 0
plot datafile using 1:8 with filledcurves x1 lc rgb '#b0b0b0' title 'percpu+other', \
     datafile using 1:7 with filledcurves x1 lc rgb '#e6ab02' title 'init', \
     datafile using 1:6 with filledcurves x1 lc rgb '#7570b3' title 'bss', \
     datafile using 1:5 with filledcurves x1 lc rgb '#e7298a' title 'data', \
     datafile using 1:4 with filledcurves x1 lc rgb '#66a61e' title 'rodata', \
     datafile using 1:3 with filledcurves x1 lc rgb '#1b9e77' title 'text', \
     regfile using 1:2 with points pt 7 ps 1.2 lc rgb '#d95f02' notitle, \
     regfile using 1:2:3 with labels left rotate by 20 offset 0.5,0.6 font ',9' noenhanced notitle
