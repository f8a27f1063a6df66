ifeq ($(CONFIG_X86_32),y)
        BITS := 32
        UTS_MACHINE := i386
else
        BITS := 64
        UTS_MACHINE := x86_64
endif
export BITS
core-y += arch/x86/
libs-y  += arch/x86/lib/
drivers-$(CONFIG_PCI)            += arch/x86/pci/
head-y := arch/x86/kernel/head_$(BITS).o
obj-y			+= head_$(BITS).o
obj-$(subst m,y,$(CONFIG_HYPERV)) += hyperv/ kernel/
lib-$(CONFIG_X86_64:m=y) += memcpy_$(BITS).o
