KVM ?= ../../../virt/kvm
rec = $(name)_rec.o
name = inode
obj-y += $(rec) $(addprefix ext4/,inode.o) $(addsuffix .o,open)
obj-$(CONFIG_EXT4_FS) += $(patsubst %.c,%.o,ext4.c x.h)
vdso_img-y := 64 x32
obj-y += $(vdso_img-y:%=vdso-image-%.o) ${name}.o
obj-y += $(filter %.o,$(filter-out b.o,a.o b.o c.c)) $(shell uname) $(call cc-option,x.o)
obj-y += $(if $(CONFIG_X86_64),head_64.o,head_32.o) $(or ,x.o) $(and a,b.o) $(strip  a.o  )
obj-y += $(sort z.o a.o) $(firstword f.o g.o) $(lastword h.o i.o) $(notdir d/e.o) $(dir d/e.o)
x = $(x) loop
y = $(y
obj-y += $(x) $$(y) $ $(basename q.c).o $(findstring a,abc).o
include $(src)/other.mk
$(obj)/inode.o: $(src)/inode.c
	obj-y += recipe.o
define cmd
	obj-y += define.o
endef
export A := 1
override B = 2
unexport C
$(foreach f,a b,$(eval obj-y += $(f).o))
