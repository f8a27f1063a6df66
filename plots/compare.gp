# compare.gp - the total of several configs per commit, side by side (tinyconfig against
# modular: the gap is what modularization saves).
# kbloat plot runs it in a directory of its own and sets: datafile, titlefile, out, term,
# ncols, yunit, ystep, yname (fixed file names, words and numbers: no text from a name,
# a path or a database).
# datafile: a header row of config names, then time and one total per config ('NaN' where a config has no build of that commit).
if (term eq 'svg') { set terminal svg size 1100,560 dynamic noenhanced font 'sans,11' } \
else { set terminal pngcairo size 1100,560 noenhanced font 'sans,10' }
set output out
# the title is data (the first string of titlefile), so that gnuplot evaluates none of it
title = ''
stats titlefile using (title = strcol(1), 0) nooutput
set title title noenhanced
set key outside right top noenhanced
# x: each build's committer time (kbloat writes it, never going back along the line)
set xdata time
set timefmt '%s'
set format x "%Y-%m-%d\n%H:%M" timedate
set xlabel 'committer date (UTC), first-parent line'
set ylabel 'kernel proper'
# binary units, as the CLI counts (K = 1024): kbloat picks the unit and a round step
set ytics ystep
set format y '%g '.yname
set grid ytics
set datafile missing 'NaN'
plot for [i=2:ncols] datafile using 1:(column(i) / yunit) with linespoints pt 7 ps 0.6 lw 2 title columnheader(i)
