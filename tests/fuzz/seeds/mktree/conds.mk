obj-y                          := main.o version.o mounts.o
ifneq ($(CONFIG_BLK_DEV_INITRD),y)
obj-y                          += noinitramfs.o
else
obj-$(CONFIG_BLK_DEV_INITRD)   += initramfs.o
endif
ifdef CONFIG_SMP
  ifeq ($(CONFIG_NUMA),)
obj-y += inode.o
  endif
else ifeq "$(CONFIG_M)" 'm'
obj-m += a.o
else ifndef CONFIG_X
obj-y += ext4/
else
endif
ifeq($(CONFIG_X86_32)$(CONFIG_X86_64),y)
extra-y += head_64.o
endif
mounts-y			:= do_mounts.o
mounts-$(CONFIG_BLK_DEV_RAM)	+= do_mounts_rd.o
