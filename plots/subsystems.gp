# subsystems.gp - one config's largest subsystems over its history, stacked, the rest as
# "other".
# kbloat plot runs it in a directory of its own and sets: datafile, titlefile, out, term,
# ncols, yunit, ystep, yname (fixed file names, words and numbers: no text from a name,
# a path or a database).
# datafile: a header row of subsystem names, then time and running sums (the last column is the total).
if (term eq 'svg') { set terminal svg size 1100,600 dynamic noenhanced font 'sans,11' } \
else { set terminal pngcairo size 1100,600 noenhanced font 'sans,10' }
set output out
# the title is data (the first string of titlefile), so that gnuplot evaluates none of it
title = ''
stats titlefile using (title = strcol(1), 0) nooutput
set title title noenhanced
set key outside right top noenhanced font ',8'
# x: each build's committer time (kbloat writes it, never going back along the line)
set xdata time
set timefmt '%s'
set format x "%Y-%m-%d\n%H:%M" timedate
set xlabel 'committer date (UTC), first-parent line'
# binary units, as the CLI counts (K = 1024): kbloat picks the unit and a round step
set ytics ystep
set format y '%g '.yname
set grid ytics
set style fill solid 0.85 noborder
# "other" (drawn first) grey, then ten colours that stay apart
set linetype 1 lc rgb '#b0b0b0'
set linetype 2 lc rgb '#1b9e77'
set linetype 3 lc rgb '#d95f02'
set linetype 4 lc rgb '#7570b3'
set linetype 5 lc rgb '#e7298a'
set linetype 6 lc rgb '#66a61e'
set linetype 7 lc rgb '#e6ab02'
set linetype 8 lc rgb '#a6761d'
set linetype 9 lc rgb '#1f78b4'
set linetype 10 lc rgb '#fb9a99'
set linetype 11 lc rgb '#444444'
set linetype cycle 11
set yrange [0:*]
plot for [i=ncols:2:-1] datafile using 1:(column(i) / yunit) with filledcurves x1 title columnheader(i)
