obj-y += a.o\
 b.o # c \
 d.o
ifdef
else junk
endif
endif
else
	obj-y += t.o
foo: bar ; recipe
	obj-y += u.o
