#!/bin/bash
#
# gen-big-elf.sh SCALE OUTDIR - generates C sources shaped like a distro vmlinux and
# builds them into OUTDIR/big.elf (with OUTDIR/big.map) and OUTDIR/big-v2.elf.
#
# At SCALE 1 the shape is that of Debian's 6.1 x86_64 vmlinux: 2,350 compile units in the
# 242 directories that kernel links, in its link order and with its number of units per
# directory (lib: 111, drivers/acpi/acpica: 155, ...), about 82,000 sized symbols (57%
# functions, a little over half of them static, with static names repeated across files;
# rodata tables, initialised data, bss, static locals, __func__ strings and string
# literals no symbol covers), functions of a long-tailed size distribution.  SCALE
# multiplies the number of units (0.1 for a quick run; 2 for a twice-as-large image).
#
# big-v2.elf is the same tree with -DKB_V2 in the ~10% of units the generator marks as
# changed, where ~20% of the functions grow, shrink, disappear or gain a new neighbour:
# about 2% of all functions, for diff benchmarks.  Unchanged objects are shared.
#
# Compiled -O1 -g -gdwarf-5 -ffunction-sections -fdata-sections, freestanding, with make
# -j$(nproc); linked -nostdlib -static.  Everything is deterministic: the same SCALE gives
# the same sources on any machine.  A second run with the same SCALE does nothing.
set -u

die() {
	echo "gen-big-elf.sh: $*" >&2
	exit 1
}

[ $# -eq 2 ] || die "usage: gen-big-elf.sh SCALE OUTDIR"
scale=$1
case $scale in
'' | *[!0-9.]* | *.*.* | .) die "$scale: SCALE must be a positive number such as 1 or 0.1" ;;
esac
awk -v s="$scale" 'BEGIN { exit !(s > 0) }' || die "$scale: SCALE must be more than 0"
command -v gcc >/dev/null || die "gcc not found"
command -v make >/dev/null || die "make not found"
mkdir -p "$2" || die "$2: cannot create the directory"
out=$(cd "$2" && pwd) || die "$2: cannot enter the directory"
self=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
stamp="scale=$scale $(cksum <"$self")"
if [ -f "$out/big.elf" ] && [ -f "$out/big-v2.elf" ] && [ -f "$out/stamp" ] &&
	[ "$(cat "$out/stamp")" = "$stamp" ]; then
	exit 0
fi
rm -rf "$out/src" "$out/obj" "$out/obj-v2" "$out/stamp" "$out/big.elf" "$out/big-v2.elf"
mkdir -p "$out/src" || die "$out/src: cannot create the directory"
start=$(date +%s)

# The directories of the 6.1 distro vmlinux in link order, with their number of units.
dirs="
arch/x86/kernel:92 init:8 arch/x86/coco:1 arch/x86/entry:8 arch/x86/entry/vdso:6 arch/x86/entry/vsyscall:1
arch/x86/events:4 arch/x86/events/amd:5 arch/x86/events/intel:8 arch/x86/events/zhaoxin:1
arch/x86/xen:27 arch/x86/platform/pvh:2 arch/x86/hyperv:8 arch/x86/realmode:1 arch/x86/kernel/fpu:6
arch/x86/kernel/cpu:26 arch/x86/kernel/cpu/mce:7 arch/x86/kernel/cpu/mtrr:4 arch/x86/kernel/cpu/microcode:3
arch/x86/kernel/cpu/resctrl:5 arch/x86/kernel/cpu/sgx:5 arch/x86/kernel/acpi:6 arch/x86/kernel/apic:12
arch/x86/kernel/kprobes:3 arch/x86/mm:29 arch/x86/mm/pat:3 arch/x86/crypto:2 arch/x86/ia32:2
arch/x86/platform/efi:6 arch/x86/platform/intel:1 arch/x86/net:1 kernel:81 kernel/sched:4
kernel/locking:9 kernel/power:11 kernel/printk:5 kernel/irq:18 kernel/rcu:5 kernel/livepatch:5
kernel/dma:7 kernel/entry:3 kernel/module:9 kernel/time:24 kernel/futex:5 kernel/cgroup:10
kernel/trace:36 kernel/bpf:41 tools/lib/bpf:1 kernel/events:5 certs:3 mm:91 fs:62 fs/notify:5
fs/notify/dnotify:1 fs/notify/inotify:2 fs/notify/fanotify:2 fs/crypto:9 fs/verity:8
fs/nfs_common:2 fs/iomap:7 fs/quota:4 fs/proc:29 fs/kernfs:5 fs/sysfs:5 fs/devpts:1 fs/ramfs:2
fs/hugetlbfs:1 fs/exportfs:1 fs/nls:1 fs/unicode:3 fs/debugfs:2 fs/tracefs:1 fs/pstore:2
ipc:11 security/keys:16 security/keys/encrypted-keys:2 security:6 security/selinux:12
security/selinux/ss:10 security/tomoyo:16 security/apparmor:21 security/yama:1 security/lockdown:1
security/bpf:1 security/landlock:7 security/integrity:4 security/integrity/platform_certs:5
security/integrity/ima:14 security/integrity/evm:4 crypto:38 crypto/asymmetric_keys:16
block:45 block/partitions:13 io_uring:26 lib:111 lib/math:7 lib/crypto:9 lib/zlib_inflate:5
lib/zlib_deflate:3 lib/lzo:3 lib/lz4:1 lib/zstd:1 lib/zstd/decompress:4 lib/zstd/common:5
lib/xz:4 lib/mpi:22 lib/dim:3 lib/fonts:4 lib/pldmfw:1 arch/x86/lib:33 drivers/phy:1
drivers/pinctrl:6 drivers/pinctrl/intel:12 drivers/gpio:6 drivers/pwm:3 drivers/pci:26
drivers/pci/msi:3 drivers/pci/pcie:9 drivers/pci/hotplug:15 drivers/video:4 drivers/video/console:2
drivers/video/backlight:1 drivers/video/fbdev/core:24 drivers/video/fbdev:4 drivers/idle:1
drivers/char/ipmi:2 drivers/acpi:56 drivers/acpi/x86:3 drivers/acpi/acpica:155 drivers/acpi/numa:2
drivers/acpi/apei:5 drivers/acpi/pmic:7 drivers/acpi/dptf:1 drivers/pnp:9 drivers/pnp/pnpacpi:2
drivers/clk:13 drivers/clk/x86:3 drivers/dma:3 drivers/dma/hsu:1 drivers/virtio:1 drivers/xen:21
drivers/xen/events:3 drivers/xen/xenbus:8 drivers/regulator:6 drivers/reset:1 drivers/tty:14
drivers/tty/vt:8 drivers/tty/hvc:3 drivers/tty/serial:3 drivers/tty/serial/8250:11 drivers/tty/serdev:2
drivers/char:4 drivers/char/hw_random:1 drivers/char/agp:8 drivers/char/tpm:13 drivers/char/tpm/eventlog:5
drivers/iommu/amd:6 drivers/iommu/intel:7 drivers/iommu:11 drivers/gpu/drm:3 drivers/gpu/vga:1
drivers/connector:3 drivers/base:31 drivers/base/power:12 drivers/base/firmware_loader:5
drivers/base/firmware_loader/builtin:1 drivers/base/regmap:8 drivers/mfd:4 drivers/dax:2
drivers/dax/hmem:1 drivers/dma-buf:7 drivers/cxl/core:9 drivers/cxl:1 drivers/macintosh:1
drivers/spi:3 drivers/net:1 drivers/net/phy:3 drivers/usb/host:1 drivers/input/serio:3
drivers/input:9 drivers/input/keyboard:1 drivers/input/misc:1 drivers/rtc:9 drivers/i2c:4
drivers/i2c/busses:4 drivers/pps:3 drivers/ptp:4 drivers/power/supply:4 drivers/hwmon:1
drivers/thermal:11 drivers/thermal/intel:2 drivers/md:1 drivers/accessibility/braille:1
drivers/edac:8 drivers/opp:3 drivers/cpufreq:9 drivers/cpuidle:6 drivers/cpuidle/governors:2
drivers/leds:3 drivers/leds/trigger:4 drivers/firmware:6 drivers/firmware/google:2 drivers/firmware/efi:20
drivers/clocksource:3 drivers/platform/x86/intel:1 drivers/platform/x86:4 drivers/platform/chrome:2
drivers/mailbox:2 drivers/virt:1 drivers/hv:1 drivers/devfreq:1 drivers/powercap:1 drivers/ras:2
drivers/nvmem:1 net:4 net/core:46 net/ethernet:1 net/802:3 net/sched:10 net/netlink:3
net/bpf:2 net/ethtool:26 net/netfilter:6 net/ipv4:64 net/xfrm:9 net/unix:4 net/ipv6:54
net/packet:1 net/devlink:1 net/strparser:1 net/8021q:1 net/wireless:4 net/netlabel:8
net/dcb:2 net/mpls:1 net/switchdev:1 net/l3mdev:1 net/xdp:5 net/mptcp:14 arch/x86/pci:14
arch/x86/power:4 arch/x86/video:1
"

echo "$dirs" | tr ' ' '\n' | grep . >"$out/src/dirs.txt"
echo "gen-big-elf.sh: generating sources (scale $scale) in $out/src" >&2
awk -v scale="$scale" -v src="$out/src" -f - "$out/src/dirs.txt" <<'AWK' || die "generating the sources failed"
# Park-Miller: exact in doubles, so every awk gives the same sequence.
function rnd() { seed = (seed * 16807) % 2147483647; return seed / 2147483647 }
function rint(n) { return int(rnd() * n) }
function hash(s,    h, i) {
	h = 5381
	for (i = 1; i <= length(s); i++)
		h = (h * 33 + index(CHARS, substr(s, i, 1))) % 2147483647
	return h ? h : 1
}
function pick(pool, n) { return pool[rint(n) + 1] }
function ident(s) { gsub(/[^A-Za-z0-9_]/, "_", s); return s ~ /^[0-9]/ ? "dev" s : s }

BEGIN {
	CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./"
	nb = split("core main init util utils common proc sysfs trace file inode super dir " \
		"namei xattr acl ioctl irq dev ops hw phy ethtool mac rx tx pm power quirks " \
		"probe cmd fw mbox ring queue hash table alloc free map lock sync event timer " \
		"work debug stats config ctrl bus driver devres resource setup smp cpu mem page " \
		"fault buffer cache policy state tables parse exec signal sys time clock domain " \
		"link route socket input output filter netlink compat audit extable reboot " \
		"mount namespace topology version usercopy syscall suspend sysctl msg sem shm " \
		"key crypto cipher hmac sha256 aes rsa crc32 bitmap string sort list rbtree " \
		"idr radix xarray kobject klist kref uuid random iov_iter scatterlist seq_buf " \
		"dsmthdat dsutils exfield exoparg1 exoparg2 hwregs nsalloc nsaccess psargs " \
		"psparse tbdata tbutils utdelete utglobal utobject evgpe evregion evxface " \
		"fair rt deadline idle wait completion cputime loadavg clock_ops " \
		"tcp tcp_input tcp_output udp ip_input ip_output route_cache fib arp icmp " \
		"af_inet devinet ndisc mcast addrconf neighbour skbuff sock dst flow gro " \
		"blk-core blk-mq bio elevator genhd partitions mq-deadline ioprio scsi " \
		"vt keyboard serial_core 8250_core 8250_port n_tty tty_io tty_ldisc pty " \
		"pci-driver probe_roms msi hotplug slot quirk_intel apic io_apic vector " \
		"hpet tsc rtc e820 head64 traps entry_64 process signal_64 fpu xstate " \
		"efi runtime-wrappers memmap fdt libstub vars capsule esrt", B, " ")
	for (k = 1; k <= nb; k++)
		if (!(B[k] in seen)) {
			seen[B[k]] = 1
			BASES[++nbases] = B[k]
		}
	nb = nbases
	ns = split("show store probe remove release open read write poll ioctl mmap " \
		"init_once setup_timer handle_irq do_work cleanup suspend resume shutdown " \
		"get_stats set_mode enable disable reset start stop flush sync validate " \
		"parse_options fill_super put_super statfs remount evict alloc_inode " \
		"free_inode lookup create unlink mkdir rmdir rename getattr setattr " \
		"seq_start seq_next seq_stop seq_show notifier_call callback complete " \
		"submit queue_work timer_fn irq_handler thread_fn rx_handler tx_timeout " \
		"get_link set_link get_drvinfo get_regs init_hw free_irqs map_pages " \
		"unmap_pages attach detach bind unbind match uevent dev_release " \
		"read_reg write_reg wait_ready check_status dump_state trace_event " \
		"hash_fn cmp_fn destroy get_next compat_ioctl fasync llseek fsync " \
		"pre_handler post_handler state_show state_store mode_show mode_store " \
		"enabled_show enabled_store count_show type_show name_show", SNAMES, " ")
	nv = split("get set add del find alloc free init exit register unregister update " \
		"read write start stop enable disable reset check handle process lookup " \
		"create destroy attach detach map unmap flush sync", VERBS, " ")
	nn = split("state entry table buffer queue device node page inode block request " \
		"config event timer irq map cache stats flags mode context desc ops range " \
		"region slot port link route key", NOUNS, " ")
	nd = split("state table stats buf cache lock pending counters params map flags " \
		"entries debug_mask descriptor ids names limits defaults info list " \
		"domains regs", DNAMES, " ")
	nunits = 0
}

# dirs.txt: one DIR:COUNT a line.
{
	n = split($0, f, ":")
	dir = f[1]
	cnt = f[2] + 0
	seed = hash(dir)
	# Basenames for this directory, distinct, from the pool and then numbered.
	for (k = 1; k <= nb; k++)
		perm[k] = k
	for (k = nb; k > 1; k--) {
		j = rint(k) + 1
		t = perm[k]; perm[k] = perm[j]; perm[j] = t
	}
	for (i = 0; i < cnt; i++) {
		base = i < nb ? BASES[perm[i + 1]] : BASES[perm[(i % nb) + 1]] "_" int(i / nb)
		# Units kept at this scale: evenly spaced for SCALE < 1, copies for SCALE > 1.
		copies = int((total + 1) * scale) - int(total * scale)
		total++
		for (c = 0; c < copies; c++)
			unit[++nunits] = dir "/" base (c ? "_" c : "") ".c"
	}
}

END {
	if (!nunits)
		unit[++nunits] = "kernel/core.c"
	for (u = 1; u <= nunits; u++) {
		if (unit[u] == "init/main.c")
			continue
		gen_unit(unit[u])
	}
	print "init/main.c 0" > (src "/units.txt")
	for (u = 1; u <= nunits; u++)
		if (unit[u] != "init/main.c")
			print unit[u], changed[unit[u]] > (src "/units.txt")
	close(src "/units.txt")
}

function emit(s) { printf "%s\n", s > path }

# The statements of a function body: K random ones from the templates, using the unit's
# data objects and the functions defined before this one.
function stmt(fi,    t, d, c, s) {
	t = rint(9)
	if (t == 7 && rnd() < 0.9)	# __func__ strings: 2.5% of a vmlinux's symbols
		t = 0
	if (t == 0)
		return sprintf("\tacc = acc * %d + (b >> %d);", rint(1000) + 3, rint(31) + 1)
	if (t == 1 && fi > 1 && nstat_cur) {
		# Only statics: a global may be gone in v2.
		c = rint(fi - 1 < nstat_cur ? fi - 1 : nstat_cur) + 1
		return sprintf("\tif (acc & %d)\n\t\tacc ^= %s(acc, b);", rint(255) + 1, fname[c])
	}
	if (t == 2)
		return sprintf("\tfor (i = 0; i < %d; i++)\n\t\tacc += (acc >> (i & 7)) ^ i;", rint(15) + 2)
	if ((t == 3 || t == 4) && ndata) {
		d = rint(ndata) + 1
		if (t == 4 && dwritable[d])
			return sprintf("\t%s[(acc ^ %d) %% %d] = acc;", dname[d], rint(9999), dlen[d])
		return sprintf("\tacc += %s[(acc + %d) %% %d];", dname[d], rint(9999), dlen[d])
	}
	if (t == 5)
		return sprintf("\tif (acc == %d)\n\t\tbench_log(\"%s: %s: unexpected state %%lu\\n\", acc);",
			rint(100000), ufile, fname[fi])
	if (t == 6)
		return sprintf("\tswitch (acc %% 4) {\n\tcase 0:\n\t\tacc += %d;\n\t\tbreak;\n" \
			"\tcase 1:\n\t\tacc -= %d;\n\t\tbreak;\n\tcase 2:\n\t\tacc ^= %d;\n" \
			"\t\tbreak;\n\tdefault:\n\t\tacc = ~acc;\n\t}", rint(999), rint(999), rint(999))
	if (t == 7)
		return sprintf("\tif (b > %d)\n\t\tbench_log(\"%%s: %%lu\\n\", __func__, b);", rint(1000000))
	return sprintf("\tacc = (acc << %d) | (acc >> %d);", rint(7) + 1, 64 - rint(7) - 1)
}

function gen_unit(file,    n, nstat, k, d, fi, s, j, kind, pfx, used, st, body, nst, \
		ch, mandatory, lo, hi, dirpart, basepart, i) {
	seed = hash(file)
	path = src "/" file
	ufile = file
	dirpart = file; sub(/\/[^\/]*$/, "", dirpart)
	system("mkdir -p '" src "/" dirpart "'")
	basepart = file; sub(/.*\//, "", basepart); sub(/\.c$/, "", basepart)
	lo = dirpart; sub(/.*\//, "", lo)
	pfx = ident(lo "_" basepart)
	if (pfx in pfxused)
		pfx = pfx "_" (++pfxused[pfx])
	else
		pfxused[pfx] = 0
	pfx_cur = pfx
	ch = rnd() < 0.10
	changed[file] = ch

	n = int(4.5 * exp(3.0 * rnd()))
	if (rnd() < 0.02)
		n *= 4
	nfun = int(n * 0.68 + 0.5)
	if (nfun < 2)
		nfun = 2
	nstat = int(nfun * 0.52 + rnd())
	nstat_cur = nstat
	ndata = n - nfun
	delete used
	delete dname
	delete dlen
	delete dwritable
	delete fname
	delete fstatic

	emit("/*")
	emit(" * " file " - generated by tests/bench/gen-big-elf.sh")
	emit(" */")
	emit("int bench_log(const char *fmt, ...);")
	emit("")
	for (d = 1; d <= ndata; d++) {
		kind = rnd()
		dlen[d] = int(exp(rnd() * 7)) + 1
		if (kind < 0.12) {		# static const table: r
			st = "static const unsigned short"
			dwritable[d] = 0
		} else if (kind < 0.15) {	# global const table: R
			st = "const unsigned short"
			dwritable[d] = 0
		} else if (kind < 0.65) {	# static initialised: d
			st = "static unsigned long"
			dwritable[d] = 1
		} else if (kind < 0.75) {	# global initialised: D
			st = "unsigned long"
			dwritable[d] = 1
		} else if (kind < 0.92) {	# static zero: b
			st = "static unsigned long"
			dwritable[d] = 2
		} else {			# global zero: B
			st = "unsigned long"
			dwritable[d] = 2
		}
		if (st ~ /^static/) {
			j = pick(DNAMES, nd)
			while (j in used)
				j = j "_" (rint(9) + 1)
		} else {
			j = pfx "_" pick(NOUNS, nn) "_tbl"
			while (j in used)
				j = j "_" (rint(9) + 1)
		}
		used[j] = 1
		dname[d] = j
		if (dwritable[d] == 2)
			emit(sprintf("%s %s[%d];", st, j, dlen[d]))
		else
			emit(sprintf("%s %s[%d] = { [0 ... %d] = %d, [%d] = %d };", st, j, dlen[d],
				dlen[d] - 1, rint(60000), rint(dlen[d]), rint(60000)))
	}
	emit("")
	for (fi = 1; fi <= nfun; fi++) {
		fstatic[fi] = fi <= nstat
		if (fstatic[fi]) {
			j = pick(SNAMES, ns)
			while (j in used)
				j = j "_" (rint(9) + 1)
		} else {
			j = pfx "_" pick(VERBS, nv) "_" pick(NOUNS, nn)
			while (j in used)
				j = j "_" (rint(9) + 1)
		}
		used[j] = 1
		fname[fi] = j
	}
	# Statics first so that globals can call them; each function calls only earlier ones.
	for (fi = 1; fi <= nfun; fi++)
		gen_function(fi, ch)
	if (nstat) {
		emit(sprintf("unsigned long (*const %s_ops[])(unsigned long, unsigned long) = {", pfx))
		for (fi = 1; fi <= nstat; fi++)
			emit("\t" fname[fi] ",")
		emit("};")
	}
	close(path)
}

function gen_function(fi, ch,    s, nst, k, mode, d, extra, lo, hi) {
	nst = int(1.5 * exp(3.8 * rnd()))
	# v2: 20% of the functions of a changed unit change.
	mode = ""
	if (ch && rnd() < 0.20) {
		k = rnd()
		mode = k < 0.40 ? "grow" : k < 0.70 ? "shrink" : k < 0.85 ? "remove" : "add"
		# Only a global function that owns no data reference may go away.
		if (mode == "remove" && (fstatic[fi] || fi <= ndata))
			mode = "grow"
	}
	if (mode == "remove")
		emit("#ifndef KB_V2")
	emit(sprintf("%sunsigned long %s(unsigned long a, unsigned long b)",
		fstatic[fi] ? "static " : "", fname[fi]))
	emit("{")
	emit(sprintf("\tunsigned long acc = a ^ %d, i = 0;", rint(100000)))
	if (rnd() < 0.08) {
		emit("\tstatic unsigned long calls;")
		emit("")
		emit(sprintf("\tif (++calls > %d)\n\t\tacc += calls;", rint(1000)))
	} else {
		emit("")
	}
	# Every data object is used by one function at least (function d mod nfun).
	for (d = fi; d <= ndata; d += nfun) {
		if (dwritable[d])
			emit(sprintf("\tacc += %s[(acc ^ b) %% %d]++;", dname[d], dlen[d]))
		else
			emit(sprintf("\tacc += %s[(acc + b) %% %d];", dname[d], dlen[d]))
	}
	lo = mode == "shrink" ? int(nst / 3) : -1
	hi = mode == "shrink" ? nst : -1
	for (s = 0; s < nst; s++) {
		if (s == lo)
			emit("#ifndef KB_V2")
		emit(stmt(fi))
	}
	if (lo >= 0)
		emit("#endif")
	if (mode == "grow") {
		emit("#ifdef KB_V2")
		extra = rint(8) + 3
		for (s = 0; s < extra; s++)
			emit(stmt(fi))
		emit("#endif")
	}
	emit("\treturn acc + i;")
	emit("}")
	if (mode == "remove")
		emit("#endif")
	emit("")
	if (mode == "add") {
		emit("#ifdef KB_V2")
		# Global, so that it stays; named after its unit, so that it is unique.
		emit(sprintf("unsigned long %s%s_v2(unsigned long a, unsigned long b)",
			fstatic[fi] ? pfx_cur "_" : "", fname[fi]))
		emit("{")
		emit(sprintf("\tunsigned long acc = a ^ %d, i = 0;", rint(100000)))
		emit("")
		extra = rint(12) + 2
		for (s = 0; s < extra; s++)
			emit(stmt(fi))
		emit("\treturn acc + i + b;")
		emit("}")
		emit("#endif")
		emit("")
	}
}
AWK

# The entry point, the log and the memory functions gcc may call.
mkdir -p "$out/src/init"
cat >"$out/src/init/main.c" <<'C'
/*
 * init/main.c - generated by tests/bench/gen-big-elf.sh: what every unit links against.
 */
typedef unsigned long size_t;

const char *volatile bench_last_fmt;

int bench_log(const char *fmt, ...)
{
	bench_last_fmt = fmt;
	return 0;
}

void *memcpy(void *dest, const void *src, size_t n)
{
	char *d = dest;
	const char *s = src;

	while (n--)
		*d++ = *s++;
	return dest;
}

void *memset(void *s, int c, size_t n)
{
	char *p = s;

	while (n--)
		*p++ = (char)c;
	return s;
}

void _start(void)
{
	for (;;)
		bench_log("idle\n");
}
C

# A Makefile: objects of both builds, the v2 objects of unchanged units hard-linked.
{
	echo "# generated by tests/bench/gen-big-elf.sh"
	echo "CC = gcc"
	echo "CFLAGS = -O1 -g -gdwarf-5 -ffunction-sections -fdata-sections -ffreestanding \\"
	echo "	-fno-pie -fno-stack-protector -fno-asynchronous-unwind-tables"
	echo "LDFLAGS = -nostdlib -static -no-pie"
	printf 'OBJS ='
	awk '{ sub(/\.c$/, ".o", $1); printf " \\\n\t%s", $1 }' "$out/src/units.txt"
	echo
	echo
	echo "all: ../big.elf ../big-v2.elf"
	echo
	echo "../big.elf: \$(addprefix ../obj/,\$(OBJS))"
	echo "	cd ../obj && \$(CC) \$(LDFLAGS) -Wl,-Map=../big.map -o ../big.elf @../src/objs.rsp"
	echo
	echo "../big-v2.elf: \$(addprefix ../obj-v2/,\$(OBJS))"
	echo "	cd ../obj-v2 && \$(CC) \$(LDFLAGS) -Wl,-Map=../big-v2.map -o ../big-v2.elf @../src/objs.rsp"
	echo
	echo "../obj/%.o: %.c"
	echo "	@mkdir -p \$(@D)"
	echo "	\$(CC) \$(CFLAGS) -c \$< -o \$@"
	echo
	echo "../obj-v2/%.o: ../obj/%.o"
	echo "	@mkdir -p \$(@D)"
	echo "	ln -f \$< \$@"
	awk '$2 == 1 { o = $1; sub(/\.c$/, ".o", o);
		printf "\n../obj-v2/%s: %s\n\t@mkdir -p $(@D)\n\t$(CC) $(CFLAGS) -DKB_V2 -c $< -o $@\n", o, $1 }' \
		"$out/src/units.txt"
} >"$out/src/Makefile"
awk '{ sub(/\.c$/, ".o", $1); print $1 }' "$out/src/units.txt" >"$out/src/objs.rsp"

units=$(wc -l <"$out/src/units.txt")
nchanged=$(awk '$2 == 1' "$out/src/units.txt" | wc -l)
jobs=$(nproc 2>/dev/null || echo 2)
echo "gen-big-elf.sh: compiling $units units ($nchanged changed in v2) with make -j$jobs" >&2
make -s -C "$out/src" -j"$jobs" >"$out/build.log" 2>&1 || {
	tail -n 30 "$out/build.log" >&2
	die "the build failed (whole log: $out/build.log)"
}
echo "$stamp" >"$out/stamp"
end=$(date +%s)
printf 'gen-big-elf.sh: %s units, %s sized symbols, big.elf %s bytes, built in %s s\n' \
	"$units" "$(nm -S "$out/big.elf" | awk 'NF == 4' | wc -l)" \
	"$(wc -c <"$out/big.elf")" "$((end - start))" >&2
