# proper.gp - one config's kernel proper per commit beside what the modular analysis makes
# of it: code and data (no alignment padding), everything modularized (the estimate: code
# and data less the tristate and bool candidates) and the hard core (what cannot leave);
# then, where collect built them, the bytes in modules (make modules) and the boot image.
# kbloat plot runs it in a directory of its own and sets: datafile, titlefile, out, term,
# ncols, yunit, ystep, yname (fixed file names, words and numbers: no text from a name,
# a path or a database).
# datafile: a header row of the series' names (kbloat's own words), then time and one
# value per series ('NaN' where a build has none: recorded before schema 2, or without the
# analysis); the series no build has are not in it.
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
# binary units, as the CLI counts (K = 1024): kbloat picks the unit and a round step
set ytics ystep
set format y '%g '.yname
set grid ytics
set datafile missing 'NaN'
set yrange [0:*]
plot for [i=2:ncols] datafile using 1:(column(i) / yunit) with linespoints pt 7 ps 0.6 lw 2 title columnheader(i)
