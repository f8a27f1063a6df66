# scene.gp - a chart kbloat laid out itself (src/report/chart.h), drawn as PNG: gnuplot is
# only the pen. Every coordinate is a pixel of the image (y down); polygons, segments,
# boxes, markers and texts come from data files (drawn in that order, the culprits' boxes
# over the lines) with their colours as numbers (0xRRGGBB).
# kbloat plot runs it in a directory of its own and sets: out, term, npolys (fixed file
# names and numbers: no text from a name, a path or a database). Every string drawn is data
# in scene-texts.dat, drawn noenhanced.
set terminal pngcairo size 1100,580 noenhanced font 'sans,8'
set output out
set lmargin at screen 0
set rmargin at screen 1
set tmargin at screen 1
set bmargin at screen 0
unset border
unset tics
unset key
set xrange [0:1100]
set yrange [580:0]
set style fill solid 0.85 noborder
plot for [i=0:npolys-1] 'scene-polys.dat' index i using 1:2:3 with filledcurves closed \
	fs solid 0.85 noborder lc rgb variable, \
     'scene-rects.dat' index 0 using 1:2:3:4:5 with boxxyerror fs solid 0.85 noborder \
	lc rgb variable, \
     'scene-lines.dat' index 0 using 1:2:3:4:5 with vectors nohead lw 1 lc rgb variable, \
     'scene-lines.dat' index 1 using 1:2:3:4:5 with vectors nohead lw 2.2 lc rgb variable, \
     'scene-lines.dat' index 2 using 1:2:3:4:5 with vectors nohead lw 1 dt 2 lc rgb variable, \
     'scene-lines.dat' index 3 using 1:2:3:4:5 with vectors nohead lw 2 dt 2 lc rgb variable, \
     'scene-rects.dat' index 1 using 1:2:3:4:5 with boxxyerror fs solid 1 noborder \
	lc rgb variable, \
     'scene-lines.dat' index 4 using 1:2:3:4:5 with vectors nohead lw 1 lc rgb variable, \
     'scene-marks.dat' using 1:2:5:3:4 with points pt variable ps variable lc rgb variable, \
     'scene-texts.dat' index 0 using 1:2:5:3:4 with labels left rotate variable tc rgb variable, \
     'scene-texts.dat' index 1 using 1:2:5:3:4 with labels center rotate variable tc rgb variable, \
     'scene-texts.dat' index 2 using 1:2:5:3:4 with labels right rotate variable tc rgb variable
