/*
 * gen-history.c - gen_history: a synthetic kernel history recorded into a kbloat store, for
 * the store's scale benchmark (tests/bench/run-store.sh).
 *
 *   gen_history DB [--builds N] [--symbols M] [--seed S] [--config NAME [--append]] [--reopen]
 *
 * Records N builds (default 10,000) of one config (tinyconfig, x86_64) along a first-parent
 * chain through kb_store_record, one call per build with what `kbloat record` hands over: the
 * commit, its known first parent, the .config, and every analyzer row (kind 0) and
 * bloat-o-meter entry (kinds 1-3) of the image. Build 0 has M rows (default 40,000) in about
 * 2,500 files of about 250 directories; each later build changes 1-6 rows by a few to a few
 * hundred bytes and sometimes adds or removes one; one build in each 500 adds a table of
 * 40-64 KB in a new file. Those are the only changes of 40K or more: they are listed on
 * stdout ("table SHA BYTES PATH SYMBOL") for the benchmark to check `kbloat blame --min 40K`
 * against. The same N, M and seed give the same database contents.
 *
 * --reopen opens and closes the store around each build, as one `kbloat record` process per
 * build does; without it one open store records them all (its caches stay warm).
 *
 * --config NAME records the builds as config NAME (default tinyconfig); with --append into a
 * database that exists, as a second config of the same history: the commits' shas and first
 * parents depend only on the build's number, so a second run with another --seed (another
 * image, other changes) builds the same commits, whose subjects and times stay the first
 * run's (the store keeps a commit's first record).
 */
#include "store.h"
#include "error.h"
#include "strbuf.h"
#include "strtab.h"
#include "xalloc.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char usage_text[] =
	"usage: gen_history DB [--builds N] [--symbols M] [--seed S] [--config NAME [--append]]\n"
	"                   [--reopen]\n";

/* the analyzer's size classes (analyzer/image.h), in the order kb_build_rec.cls has them */
enum { CLS_TEXT, CLS_RODATA, CLS_DATA, CLS_BSS, CLS_INIT, CLS_PERCPU, CLS_OTHER, CLS_NR };

#define TABLE_EVERY 500 /* one build in each block of this many adds a 40K+ table */
#define NHOT 300 /* rows that change often: a third of all changes hit one of them */

/* ---- the tree ------------------------------------------------------------------------ */

/*
 * Directories an x86_64 kernel links code from, each its own subsystem: "TOP: SUB SUB ..."
 * names TOP/SUB for each SUB ("." is TOP itself); "" as TOP names top-level directories.
 */
static const char *const tree[] = {
	"arch/x86: boot/compressed entry entry/vdso events events/intel events/amd hyperv "
	"kernel kernel/cpu kernel/cpu/mce kernel/cpu/microcode kernel/cpu/resctrl kernel/apic "
	"kernel/fpu kernel/acpi kvm kvm/vmx kvm/svm kvm/mmu lib mm mm/pat pci platform/efi "
	"power realmode xen crypto coco include/asm",
	"kernel: . bpf cgroup dma entry events futex irq locking module power printk rcu sched "
	"time trace debug",
	"mm: . kasan kfence damon",
	"fs: . 9p autofs btrfs cachefiles ceph configfs crypto debugfs devpts erofs exfat "
	"exportfs ext2 ext4 f2fs fat fuse gfs2 hugetlbfs iomap isofs jbd2 kernfs lockd netfs "
	"nfs nfsd nls notify notify/fanotify notify/inotify ntfs3 overlayfs proc pstore quota "
	"ramfs smb/client squashfs sysfs tracefs udf verity xfs xfs/libxfs",
	"net: core ethernet ipv4 ipv6 ipv4/netfilter netfilter netfilter/ipset netlink packet "
	"unix sched bridge 8021q xfrm sunrpc sunrpc/auth_gss wireless mac80211 bluetooth "
	"ethtool devlink dsa tls mptcp sctp vmw_vsock dns_resolver rfkill llc handshake "
	"openvswitch can",
	"drivers: acpi acpi/acpica ata base base/power base/regmap block block/zram char "
	"char/hw_random char/ipmi char/tpm clk clocksource connector cpufreq cpuidle crypto dax "
	"dma dma-buf edac firmware firmware/efi firmware/efi/libstub gpio gpu/drm gpu/drm/i915 "
	"gpu/drm/i915/display gpu/drm/i915/gt gpu/drm/amd/amdgpu gpu/drm/amd/display/dc "
	"gpu/drm/nouveau gpu/drm/ttm gpu/drm/virtio hid hid/usbhid hv hwmon i2c i2c/busses "
	"infiniband/core input input/keyboard input/mouse input/serio iommu iommu/intel "
	"iommu/amd irqchip leds md md/bcache media/rc mfd misc mmc/core mmc/host mtd net "
	"net/bonding net/ethernet/intel/e1000 net/ethernet/intel/e1000e net/ethernet/intel/igb "
	"net/ethernet/intel/ixgbe net/ethernet/intel/i40e net/ethernet/intel/ice "
	"net/ethernet/realtek net/ethernet/broadcom net/ethernet/broadcom/bnxt "
	"net/ethernet/mellanox/mlx5/core net/phy net/team net/usb net/wireless/intel/iwlwifi "
	"net/wireless/intel/iwlwifi/mvm net/wireless/ath/ath10k nvme/host nvme/target nvdimm "
	"nvmem of pci pci/hotplug pci/msi pci/pcie perf phy pinctrl pinctrl/intel platform/x86 "
	"pnp power/supply powercap ptp regulator rtc scsi scsi/megaraid scsi/mpt3sas spi target "
	"thermal thunderbolt tty tty/serial tty/serial/8250 tty/vt tty/hvc usb/core usb/host "
	"usb/storage usb/gadget usb/typec vfio vfio/pci vhost video/backlight video/console "
	"video/fbdev/core virtio watchdog xen xen/events",
	"lib: . crypto lz4 lzo math raid6 xz zlib_deflate zlib_inflate zstd/common "
	"zstd/compress zstd/decompress",
	": block block/partitions certs crypto crypto/asymmetric_keys init io_uring ipc "
	"virt/kvm include/linux include/net include/trace",
	"security: . apparmor integrity integrity/ima keys landlock selinux selinux/ss yama",
	"sound: core core/seq pci/hda soc usb",
};

static const char *const verbs[] = {
	"init",	      "exit",	"probe",  "remove",   "open",	 "release", "read",	"write",
	"ioctl",      "mmap",	"poll",	  "alloc",    "free",	 "get",	    "put",	"set",
	"show",	      "store",	"update", "handle",   "process", "submit",  "complete", "start",
	"stop",	      "reset",	"resume", "suspend",  "enable",	 "disable", "register", "lookup",
	"insert",     "delete", "parse",  "validate", "check",	 "map",	    "unmap",	"flush",
	"sync",	      "lock",	"unlock", "queue",    "dequeue", "send",    "recv",	"xmit",
	"attach",     "detach", "create", "destroy",  "copy",	 "fill",    "dump",	"prepare",
	"commit",     "abort",	"scan",	  "walk",     "find",	 "setup",   "teardown", "refill",
	"unregister", "clear",	"wake",	  "wait",     "notify",	 "apply",   "restore",	"save",
};

static const char *const nouns[] = {
	"dev",	   "device", "buf",	"page",	 "pages", "inode",  "dentry",	"file",	  "sb",
	"entry",   "node",   "tree",	"list",	 "queue", "ring",   "desc",	"skb",	  "sock",
	"conn",	   "req",    "ctx",	"state", "stats", "config", "params",	"attr",	  "info",
	"data",	   "range",  "region",	"zone",	 "slab",  "cache",  "task",	"thread", "cpu",
	"irq",	   "vector", "msi",	"port",	 "link",  "phy",    "mac",	"hdr",	  "frame",
	"packet",  "msg",    "event",	"key",	 "hash",  "bucket", "block",	"bio",	  "extent",
	"journal", "xattr",  "acl",	"quota", "mount", "ns",	    "policy",	"rule",	  "chain",
	"target",  "timer",  "clock",	"freq",	 "power", "domain", "resource", "fw",	  "reg",
	"regs",	   "mode",   "feature", "caps",	 "work",  "bitmap", "folio",	"vma",	  "mm",
	"cred",	   "group",  "filter",	"prog",	 "map",	  "table",  "mask",
};

/* static functions whose names many files share, as in a real kernel */
static const char *const common_statics[] = {
	"show",	    "store",	   "probe",  "remove",	   "open",    "release",
	"read",	    "write",	   "ioctl",  "init_once",  "suspend", "resume",
	"shutdown", "poll",	   "llseek", "flush",	   "cleanup", "setup",
	"get_info", "irq_handler", "mmap",   "fill_super", "kill_sb",
};

static const char *const file_stems[] = {
	"core",	   "main",    "dev",	"init",	    "ops",	"sysfs",     "debugfs",	 "ioctl",
	"irq",	   "util",    "common", "proc",	    "netlink",	"trace",     "pm",	 "hw",
	"ethtool", "params",  "super",	"inode",    "file",	"dir",	     "namei",	 "xattr",
	"acl",	   "data",    "tables", "policy",   "hooks",	"events",    "timer",	 "queue",
	"ring",	   "tx",      "rx",	"mbox",	    "fw",	"regs",	     "lib",	 "helpers",
	"alloc",   "memory",  "mmu",	"page",	    "cache",	"map",	     "hash",	 "tree",
	"list",	   "buf",     "stats",	"state",    "ctrl",	"link",	     "port",	 "bus",
	"driver",  "device",  "class",	"platform", "probe",	"quirks",    "acpi",	 "pci",
	"power",   "thermal", "crypto", "cipher",   "auth",	"cred",	     "task",	 "work",
	"sched",   "wait",    "lock",	"mutex",    "rcu",	"topology",  "cpu",	 "smp",
	"numa",	   "swap",    "mmap",	"migrate",  "filemap",	"writeback", "extent",	 "journal",
	"balloc",  "ialloc",  "bitmap", "resize",   "recovery", "compat",    "syscalls", "uapi",
};

static const struct {
	const char *name, *email;
} authors[] = {
	{ "Alice Bloat", "alice@example.org" },	   { "Bob Shrink", "bob@example.org" },
	{ "Carol Config", "carol@example.com" },   { "Dave Driver", "dave@example.net" },
	{ "Erin Ext4", "erin@example.org" },	   { "Frank Ftrace", "frank@example.com" },
	{ "Grace Gpio", "grace@example.net" },	   { "Heidi Hugepage", "heidi@example.org" },
	{ "Ivan Iommu", "ivan@example.com" },	   { "Judy Jbd2", "judy@example.net" },
	{ "Mallory Mmap", "mallory@example.org" }, { "Trent Tcp", "trent@example.com" },
};

static const char *const subject_forms[] = {
	"%s: fix a leak in %s()",
	"%s: simplify %s()",
	"%s: inline the fast path of %s()",
	"%s: avoid a double lookup in %s()",
	"%s: handle errors in %s() properly",
	"%s: move %s() out of the hot path",
	"%s: convert %s() to the new helper",
	"%s: add tracepoints to %s()",
	"%s: drop a redundant check in %s()",
	"%s: harden %s() against bad input",
};

/* ---- random numbers: splitmix64, so that a seed gives the same history everywhere ------ */

struct rng {
	uint64_t s;
};

static uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t rng_next(struct rng *r)
{
	r->s += 0x9e3779b97f4a7c15ULL;
	return mix64(r->s);
}

static uint64_t rng_below(struct rng *r, uint64_t n)
{
	return rng_next(r) % n;
}

static double rng_unit(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

/* A skewed size: log-normal around median, clamped to [lo, hi]. */
static uint64_t rng_size(struct rng *r, double median, double sigma, uint64_t lo, uint64_t hi)
{
	double u1 = rng_unit(r), u2 = rng_unit(r), z, v;

	z = sqrt(-2.0 * log(u1 > 0 ? u1 : 0x1.0p-53)) * cos(2.0 * M_PI * u2);
	v = median * exp(sigma * z);
	if (v < (double)lo)
		return lo;
	if (v > (double)hi)
		return hi;
	return (uint64_t)v;
}

#define PICK(r, a) ((a)[rng_below((r), ARRAY_SIZE(a))])

/* ---- the generator's model of the image ---------------------------------------------- */

struct dir {
	const char *path, *prefix, *tag; /* prefix of its symbols; tag of its commit subjects */
};

struct file {
	const char *path;
	uint32_t dir;
};

/* an analyzer row; size 0: removed */
struct sym {
	const char *name;
	uint32_t file;
	uint8_t cls;
	int32_t bom; /* its bloat-o-meter entry, or -1 (gaps have none) */
	uint64_t size;
};

/* a bloat-o-meter entry: the sum of the rows whose normalised name and kind it has */
struct bom {
	const char *name;
	int kind;
	uint64_t size;
};

struct gen {
	struct rng rng;
	struct kb_strtab strs; /* owns every name and path */
	struct kb_strtab keys; /* "file/class/name" of every row ever made: no two alike */
	struct kb_strtab bom_keys; /* "kind/name": index of the entry in boms */
	struct dir *dirs;
	size_t ndirs;
	struct file *files;
	size_t nfiles, afiles;
	double *fweight; /* cumulative weights of the first nweighted files, for placing symbols */
	size_t nweighted;
	struct sym *syms;
	size_t nsyms, asyms, nlive;
	struct bom *boms;
	size_t nboms, aboms;
	size_t hot[NHOT];
	uint64_t cls[CLS_NR];
	unsigned long local_no; /* the compiler's numbering of static locals (calls.N) */
	struct strbuf tmp;
};

static const char *str(struct gen *g, const char *s)
{
	const char *out;

	kb_strtab_intern(&g->strs, s, strlen(s), &out);
	return out;
}

static void add_dir(struct gen *g, const char *path, size_t *alloc)
{
	struct strbuf sb = STRBUF_INIT;
	const char *last = strrchr(path, '/');
	struct dir *d;
	char *c;

	ALLOC_GROW(g->dirs, g->ndirs + 1, *alloc);
	d = &g->dirs[g->ndirs++];
	last = last ? last + 1 : path;
	d->path = str(g, path);
	strbuf_addstr(&sb, last);
	for (c = sb.buf; *c; c++)
		if (*c == '-' || *c == '.')
			*c = '_';
	d->prefix = str(g, sb.buf);
	strbuf_reset(&sb);
	if (!strncmp(path, "arch/x86/", 9))
		strbuf_addf(&sb, "x86/%s", last);
	else
		strbuf_addstr(&sb, last);
	d->tag = str(g, sb.buf);
	strbuf_release(&sb);
}

static void make_dirs(struct gen *g)
{
	struct strbuf path = STRBUF_INIT;
	size_t i, alloc = 0, top, len;
	const char *p;

	for (i = 0; i < ARRAY_SIZE(tree); i++) {
		top = strcspn(tree[i], ":");
		for (p = tree[i] + top + 1; *p; p += len) {
			p += strspn(p, " ");
			len = strcspn(p, " ");
			strbuf_reset(&path);
			strbuf_add(&path, tree[i], top);
			if (len == 1 && *p == '.')
				;
			else if (top)
				strbuf_addf(&path, "/%.*s", (int)len, p);
			else
				strbuf_add(&path, p, len);
			add_dir(g, path.buf, &alloc);
		}
	}
	strbuf_release(&path);
}

/* A new file in dir d, with a name no file of d has; returns its index. */
static size_t add_file(struct gen *g, size_t d, const char *suffix)
{
	const struct dir *dir = &g->dirs[d];
	const char *ext =
		strncmp(dir->path, "include/", 8) && !strstr(dir->path, "/include/") ? ".c" : ".h";
	int tries;

	for (tries = 0;; tries++) {
		strbuf_reset(&g->tmp);
		strbuf_addf(&g->tmp, "%s/", dir->path);
		if (rng_below(&g->rng, 10) < 3)
			strbuf_addf(&g->tmp, "%s_", dir->prefix);
		strbuf_addstr(&g->tmp, PICK(&g->rng, file_stems));
		if (suffix)
			strbuf_addf(&g->tmp, "_%s", suffix);
		if (tries > 8)
			strbuf_addf(&g->tmp, "%d", tries);
		strbuf_addstr(&g->tmp, ext);
		if (kb_strtab_find(&g->strs, g->tmp.buf, g->tmp.len) < 0)
			break;
	}
	ALLOC_GROW(g->files, g->nfiles + 1, g->afiles);
	g->files[g->nfiles].path = str(g, g->tmp.buf);
	g->files[g->nfiles].dir = (uint32_t)d;
	return g->nfiles++;
}

/*
 * nfiles files: every directory gets one, the rest go to directories with Zipf-like weights
 * (a few directories have a hundred files, most a handful); files get log-normal weights
 * for how many symbols they hold.
 */
static void make_files(struct gen *g, size_t nfiles)
{
	double *dw = xcalloc(g->ndirs, sizeof(*dw)), sum = 0, x, acc;
	size_t i, d;

	/* the weights by rank, then shuffled: a directory's place in the list says nothing */
	for (i = 0; i < g->ndirs; i++)
		dw[i] = 1.0 / pow((double)i + 5.0, 0.9);
	for (i = g->ndirs - 1; i > 0; i--) {
		d = rng_below(&g->rng, i + 1);
		x = dw[i];
		dw[i] = dw[d];
		dw[d] = x;
	}
	for (i = 0; i < g->ndirs; i++) {
		sum += dw[i];
		add_file(g, i, NULL);
	}
	while (g->nfiles < nfiles) {
		x = rng_unit(&g->rng) * sum;
		for (d = 0, acc = dw[0]; d + 1 < g->ndirs && acc < x; acc += dw[++d])
			;
		add_file(g, d, NULL);
	}
	free(dw);
	g->fweight = xcalloc(g->nfiles, sizeof(*g->fweight));
	for (i = 0, acc = 0; i < g->nfiles; i++) {
		acc += (double)rng_size(&g->rng, 100, 1.0, 1, 10000);
		g->fweight[i] = acc;
	}
	g->nweighted = g->nfiles;
}

static size_t pick_file(struct gen *g)
{
	double x = rng_unit(&g->rng) * g->fweight[g->nweighted - 1];
	size_t lo = 0, hi = g->nweighted - 1;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (g->fweight[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Class of a new symbol, in the proportions of an x86_64 vmlinux's symbol counts. */
static int pick_class(struct gen *g)
{
	static const struct {
		int cls, per_mille;
	} mix[] = {
		{ CLS_TEXT, 580 }, { CLS_RODATA, 140 }, { CLS_DATA, 120 },
		{ CLS_BSS, 80 },   { CLS_INIT, 70 },	{ CLS_PERCPU, 10 },
	};
	uint64_t x = rng_below(&g->rng, 1000);
	size_t i;

	for (i = 0; i < ARRAY_SIZE(mix) - 1 && x >= (uint64_t)mix[i].per_mille; i++)
		x -= (uint64_t)mix[i].per_mille;
	return mix[i].cls;
}

/* A symbol name for class cls in dir's code, into g->tmp; *bom_kind gets its view. */
static void sym_name(struct gen *g, const struct dir *dir, int cls, int *bom_kind)
{
	struct rng *r = &g->rng;
	struct strbuf *sb = &g->tmp;
	uint64_t x = rng_below(r, 100);

	strbuf_reset(sb);
	*bom_kind = KB_ITEM_BOM_D;
	switch (cls) {
	case CLS_TEXT:
		*bom_kind = KB_ITEM_BOM_T;
		if (x < 6)
			strbuf_addstr(sb, PICK(r, common_statics));
		else if (x < 16)
			strbuf_addf(sb, "%s_%s", PICK(r, verbs), PICK(r, nouns));
		else
			strbuf_addf(sb, "%s%s_%s_%s", x < 20 ? "__" : "", dir->prefix,
				    PICK(r, verbs), PICK(r, nouns));
		if (rng_below(r, 100) < 4) {
			static const char *const clones[] = { ".constprop.0", ".isra.0", ".part.0",
							      ".cold" };

			strbuf_addstr(sb, PICK(r, clones));
		}
		break;
	case CLS_RODATA:
		*bom_kind = KB_ITEM_BOM_R;
		if (x < 30)
			strbuf_addf(sb, "__func__.%lu", ++g->local_no);
		else
			strbuf_addf(sb, "%s_%s_%s", dir->prefix, PICK(r, nouns),
				    x < 60 ? "ops" :
				    x < 80 ? "ids" :
					     "names");
		break;
	case CLS_DATA:
		if (x < 10)
			strbuf_addf(sb, "__already_done.%lu", ++g->local_no);
		else if (x < 20)
			strbuf_addf(sb, "descriptor.%lu", ++g->local_no);
		else
			strbuf_addf(sb, "%s_%s_%s", dir->prefix, PICK(r, nouns),
				    x < 50 ? "list" :
				    x < 70 ? "lock" :
				    x < 85 ? "attr" :
					     "dev");
		break;
	case CLS_BSS:
		if (x < 25)
			strbuf_addf(sb, "__key.%lu", ++g->local_no);
		else if (x < 35)
			strbuf_addf(sb, "calls.%lu", ++g->local_no);
		else
			strbuf_addf(sb, "%s_%s_%s", dir->prefix, PICK(r, nouns),
				    x < 60 ? "count" :
				    x < 80 ? "cache" :
					     "buf");
		break;
	case CLS_INIT:
		if (x < 70) {
			*bom_kind = KB_ITEM_BOM_T;
			strbuf_addf(sb, "%s_%s_init", dir->prefix, PICK(r, nouns));
		} else {
			strbuf_addf(sb, "%s_%s_initdata", dir->prefix, PICK(r, nouns));
		}
		break;
	default:
		strbuf_addf(sb, "%s_%s_pcpu", dir->prefix, PICK(r, nouns));
		break;
	}
}

/* bloat-o-meter's name: every "\.[0-9]+" removed, as its re.sub does. */
static void bom_normalise(struct strbuf *out, const char *name)
{
	const char *p;

	strbuf_reset(out);
	for (p = name; *p; p++) {
		if (p[0] == '.' && p[1] >= '0' && p[1] <= '9') {
			for (p++; p[1] >= '0' && p[1] <= '9'; p++)
				;
			continue;
		}
		strbuf_addch(out, *p);
	}
}

static int32_t bom_entry(struct gen *g, int kind, const char *name)
{
	struct strbuf key = STRBUF_INIT, norm = STRBUF_INIT;
	uint32_t k;

	bom_normalise(&norm, name);
	strbuf_addf(&key, "%d/%s", kind, norm.buf);
	k = kb_strtab_intern(&g->bom_keys, key.buf, key.len, NULL);
	if (k == g->nboms) {
		ALLOC_GROW(g->boms, g->nboms + 1, g->aboms);
		g->boms[k].name = str(g, norm.buf);
		g->boms[k].kind = kind;
		g->boms[k].size = 0;
		g->nboms++;
	}
	strbuf_release(&key);
	strbuf_release(&norm);
	return (int32_t)k;
}

/* Adds a row named g->tmp (made unique in its file and class) and returns its index. */
static size_t add_sym(struct gen *g, size_t file, int cls, int bom_kind, uint64_t size)
{
	struct strbuf key = STRBUF_INIT;
	struct sym *s;
	size_t base = g->tmp.len;
	int n = 1;

	for (;;) {
		strbuf_reset(&key);
		strbuf_addf(&key, "%zu/%d/%s", file, cls, g->tmp.buf);
		if (kb_strtab_find(&g->keys, key.buf, key.len) < 0)
			break;
		strbuf_setlen(&g->tmp, base);
		strbuf_addf(&g->tmp, "_%d", ++n);
	}
	kb_strtab_intern(&g->keys, key.buf, key.len, NULL);
	strbuf_release(&key);
	ALLOC_GROW(g->syms, g->nsyms + 1, g->asyms);
	s = &g->syms[g->nsyms];
	s->name = str(g, g->tmp.buf);
	s->file = (uint32_t)file;
	s->cls = (uint8_t)cls;
	s->bom = bom_kind ? bom_entry(g, bom_kind, s->name) : -1;
	s->size = size;
	if (s->bom >= 0)
		g->boms[s->bom].size += size;
	g->cls[cls] += size;
	g->nlive++;
	return g->nsyms++;
}

static size_t add_symbol(struct gen *g, size_t file, uint64_t max)
{
	static const double median[CLS_NR] = { 180, 64, 48, 32, 120, 16, 32 };
	static const double sigma[CLS_NR] = { 1.1, 1.4, 1.3, 1.6, 1.0, 1.0, 1.0 };
	int cls = pick_class(g), bom_kind;

	sym_name(g, &g->dirs[g->files[file].dir], cls, &bom_kind);
	return add_sym(g, file, cls, bom_kind, rng_size(&g->rng, median[cls], sigma[cls], 1, max));
}

/* Build 0: nsyms rows, a few of them the gaps between symbols that the analyzer labels. */
static void make_image(struct gen *g, size_t nsyms)
{
	size_t i;

	for (i = 0; i < g->nfiles && g->nsyms < nsyms / 4; i++) {
		if (rng_below(&g->rng, 100) < 40) {
			strbuf_reset(&g->tmp);
			strbuf_addstr(&g->tmp, "[padding .text]");
			add_sym(g, i, CLS_TEXT, 0, 1 + rng_below(&g->rng, 63));
		}
		if (rng_below(&g->rng, 100) < 25 && g->nsyms < nsyms / 4) {
			strbuf_reset(&g->tmp);
			strbuf_addstr(&g->tmp, "[unnamed .rodata]");
			add_sym(g, i, CLS_RODATA, 0, rng_size(&g->rng, 200, 1.2, 1, 16384));
		}
	}
	while (g->nsyms < nsyms)
		add_symbol(g, pick_file(g), 32768);
	for (i = 0; i < NHOT; i++)
		g->hot[i] = rng_below(&g->rng, g->nsyms);
}

/* ---- one commit's change --------------------------------------------------------------- */

static void set_size(struct gen *g, size_t i, uint64_t size)
{
	struct sym *s = &g->syms[i];

	g->cls[s->cls] += size - s->size; /* modular arithmetic: exact either way */
	if (s->bom >= 0)
		g->boms[s->bom].size += size - s->size;
	if (!size)
		g->nlive--;
	s->size = size;
}

static size_t pick_live(struct gen *g)
{
	size_t i;

	do {
		if (rng_below(&g->rng, 3) == 0)
			i = g->hot[rng_below(&g->rng, NHOT)];
		else
			i = rng_below(&g->rng, g->nsyms);
	} while (!g->syms[i].size);
	return i;
}

/* The subject of a change to row i. */
static void subject_for(struct gen *g, size_t i, struct strbuf *subject)
{
	const struct sym *s = &g->syms[i];
	const struct dir *d = &g->dirs[g->files[s->file].dir];

	strbuf_reset(subject);
	strbuf_addf(subject, PICK(&g->rng, subject_forms), d->tag, s->name);
}

/* A usual commit: 1-6 rows change by a few to a few hundred bytes; now and then a symbol
 * comes or goes. None of it adds up to 40K. */
static void small_change(struct gen *g, struct strbuf *subject)
{
	size_t n = 1 + rng_below(&g->rng, 6), k, i;

	for (k = 0; k < n; k++) {
		uint64_t by = rng_size(&g->rng, 24, 1.2, 1, 400), size;

		i = pick_live(g);
		size = g->syms[i].size;
		if (rng_below(&g->rng, 10) < 6 || by >= size)
			size += by;
		else
			size -= by;
		set_size(g, i, size);
		if (!k)
			subject_for(g, i, subject);
	}
	if (rng_below(&g->rng, 100) < 12) {
		i = add_symbol(g, pick_file(g), 4096);
		subject_for(g, i, subject);
	}
	if (rng_below(&g->rng, 100) < 6) {
		i = pick_live(g);
		if (g->syms[i].size <= 8192 && g->syms[i].name[0] != '[')
			set_size(g, i, 0);
	}
}

/* A commit that adds a 40-64 KB table in a new file; returns the row. */
static size_t table_change(struct gen *g, struct strbuf *subject)
{
	size_t d = g->files[pick_file(g)].dir, f;
	const char *noun = PICK(&g->rng, nouns);
	int cls = rng_below(&g->rng, 4) ? CLS_RODATA : CLS_DATA;

	f = add_file(g, d, "table");
	strbuf_reset(&g->tmp);
	strbuf_addf(&g->tmp, "%s_%s_table", g->dirs[d].prefix, noun);
	strbuf_reset(subject);
	strbuf_addf(subject, "%s: add a %s lookup table", g->dirs[d].tag, noun);
	return add_sym(g, f, cls, cls == CLS_RODATA ? KB_ITEM_BOM_R : KB_ITEM_BOM_D,
		       41 * 1024 + rng_below(&g->rng, 23 * 1024 + 1));
}

/* ---- what record hands the store --------------------------------------------------------- */

struct commit {
	char sha[41], parent[41];
	struct strbuf subject;
	size_t author;
	int64_t author_time, committer_time;
};

/* Build n's commit: a sha from the counter, a time after the last one. */
static void make_commit(struct gen *g, size_t n, const struct commit *prev, struct commit *c)
{
	uint64_t h[3];
	int k;

	for (k = 0; k < 3; k++)
		h[k] = mix64(0x6b626c6f6174ULL + n * 3 + (uint64_t)k);
	snprintf(c->sha, sizeof(c->sha), "%016llx%016llx%08llx", (unsigned long long)h[0],
		 (unsigned long long)h[1], (unsigned long long)(h[2] >> 32));
	strcpy(c->parent, prev ? prev->sha : "");
	c->author = rng_below(&g->rng, ARRAY_SIZE(authors));
	c->committer_time =
		(prev ? prev->committer_time : 1672531200) + 60 + (int64_t)rng_below(&g->rng, 7200);
	c->author_time = c->committer_time - (int64_t)rng_below(&g->rng, 3 * 86400);
}

static void store_commit(const struct commit *c, struct kb_store_commit *out)
{
	out->sha = c->sha;
	out->parent = c->parent;
	out->author_name = authors[c->author].name;
	out->author_email = authors[c->author].email;
	out->subject = c->subject.buf;
	out->author_time = c->author_time;
	out->committer_time = c->committer_time;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A tinyconfig-sized .config, sorted as kb_read_dotconfig leaves it; generation changes a
 * few options now and then, as Kconfig changes do. */
static void make_dotconfig(struct gen *g, unsigned generation, struct strbuf *out)
{
	const char **lines = xcalloc(g->ndirs + 8, sizeof(*lines));
	struct strbuf sb = STRBUF_INIT;
	size_t i, n = 0;
	char *c;

	for (i = 0; i < g->ndirs; i++) {
		strbuf_reset(&sb);
		strbuf_addf(&sb, "CONFIG_%s=y", g->dirs[i].prefix);
		for (c = sb.buf; *c; c++)
			*c = *c >= 'a' && *c <= 'z' ? (char)(*c - 'a' + 'A') : *c;
		lines[n++] = str(g, sb.buf);
	}
	strbuf_reset(&sb);
	strbuf_addf(&sb, "CONFIG_KBLOAT_GENERATION=%u", generation);
	lines[n++] = str(g, sb.buf);
	qsort(lines, n, sizeof(*lines), cmp_str);
	strbuf_reset(out);
	for (i = 0; i < n; i++)
		strbuf_addf(out, "%s\n", lines[i]);
	free(lines);
	strbuf_release(&sb);
}

static void make_itemset(const struct gen *g, struct kb_itemset *set)
{
	size_t i;

	for (i = 0; i < g->nsyms; i++) {
		const struct sym *s = &g->syms[i];
		const struct file *f = &g->files[s->file];

		if (s->size)
			kb_itemset_add(set, KB_ITEM_ROW, s->name, f->path, g->dirs[f->dir].path,
				       s->cls, s->size);
	}
	for (i = 0; i < g->nboms; i++)
		if (g->boms[i].size)
			kb_itemset_add(set, g->boms[i].kind, g->boms[i].name, NULL, NULL, 0,
				       g->boms[i].size);
}

static void fill_sizes(const struct gen *g, struct kb_build_rec *rec)
{
	int c;

	rec->total = 0;
	for (c = 0; c < CLS_NR; c++) {
		rec->cls[c] = g->cls[c];
		rec->total += g->cls[c];
	}
	/* binutils size: read-only and code in text, the writable rest in data, NOBITS bss */
	rec->bk[0] = g->cls[CLS_TEXT] + g->cls[CLS_RODATA] + g->cls[CLS_INIT];
	rec->bk[1] = g->cls[CLS_DATA] + g->cls[CLS_PERCPU] + g->cls[CLS_OTHER];
	rec->bk[2] = g->cls[CLS_BSS];
}

/* ---- the run ----------------------------------------------------------------------------- */

struct opts {
	const char *db, *config;
	long builds, symbols;
	unsigned long long seed;
	int reopen, append;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void print_times(const struct opts *o, double all, double *t)
{
	double sum = 0;
	long i;

	for (i = 0; i < o->builds; i++)
		sum += t[i];
	qsort(t, (size_t)o->builds, sizeof(*t), cmp_double);
	printf("time: %.1f s in all, %.1f s in kb_store_record%s: %.2f ms per build (median "
	       "%.2f, p90 %.2f, p99 %.2f, max %.2f ms)\n",
	       all, sum, o->reopen ? " with an open and close each" : "",
	       sum * 1e3 / (double)o->builds, t[o->builds / 2] * 1e3, t[o->builds * 9 / 10] * 1e3,
	       t[o->builds * 99 / 100] * 1e3, t[o->builds - 1] * 1e3);
}

/* Records one build; t gets the seconds the store took (opening it too, with --reopen). */
static int record_one(const struct opts *o, struct kb_store **s, const struct kb_build_rec *rec,
		      double *t)
{
	double t0 = now();
	int already = 0;

	if (!*s && kb_store_open(s, o->db, 1))
		return KB_ERR;
	if (kb_store_record(*s, rec, &already))
		return KB_ERR;
	if (o->reopen) {
		kb_store_close(*s);
		*s = NULL;
	}
	*t = now() - t0;
	if (already)
		return kb_error_set("%s: commit %s was recorded before", o->db, rec->commit->sha);
	return 0;
}

static int generate(const struct opts *o, struct gen *g)
{
	struct commit c[2] = { { .subject = STRBUF_INIT }, { .subject = STRBUF_INIT } };
	struct strbuf dotconfig = STRBUF_INIT;
	struct kb_store_commit sc, sp;
	struct kb_store *s = NULL;
	double start = now(), *t = xcalloc((size_t)o->builds, sizeof(*t)), store = 0;
	size_t ntables = 0, last = 0;
	long n, table_at = 0;
	unsigned generation = 0;
	int rc = KB_ERR;

	make_dirs(g);
	make_files(g, 2500);
	make_image(g, (size_t)o->symbols);
	make_dotconfig(g, generation, &dotconfig);
	for (n = 0; n < o->builds; n++) {
		struct commit *cur = &c[n & 1], *prev = n ? &c[!(n & 1)] : NULL;
		struct kb_itemset items = { 0 };
		struct kb_build_rec rec = { 0 };

		long table = -1;

		/* one table in each block, never at its first build (nor at build 0) */
		if (n % TABLE_EVERY == 0)
			table_at = n + 1 + (long)rng_below(&g->rng, TABLE_EVERY - 1);
		if (!n) {
			strbuf_reset(&cur->subject);
			strbuf_addstr(&cur->subject, "Linux 6.6");
		} else if (n == table_at) {
			table = (long)table_change(g, &cur->subject);
		} else {
			small_change(g, &cur->subject);
		}
		make_commit(g, (size_t)n, prev, cur);
		if (table >= 0) {
			const struct sym *row = &g->syms[table];

			printf("table %s %llu %s %s\n", cur->sha, (unsigned long long)row->size,
			       g->files[row->file].path, row->name);
			ntables++;
		}
		if (n && rng_below(&g->rng, 300) == 0)
			make_dotconfig(g, ++generation, &dotconfig);
		store_commit(cur, &sc);
		if (prev)
			store_commit(prev, &sp);
		make_itemset(g, &items);
		rec.commit = &sc;
		rec.chain = prev ? &sp : NULL;
		rec.nchain = prev ? 1 : 0;
		rec.config = o->config;
		rec.arch = "x86_64";
		rec.base = o->config;
		rec.status = "ok";
		rec.dotconfig = dotconfig.buf;
		rec.compiler = "gcc (Debian 12.2.0-14) 12.2.0";
		rec.linker = "GNU ld (GNU Binutils for Debian) 2.40";
		rec.build_seconds = 60.0 + (double)rng_below(&g->rng, 12000) / 100.0;
		rec.analysis_seconds = 1.0 + (double)rng_below(&g->rng, 100) / 100.0;
		fill_sizes(g, &rec);
		rec.items = &items;
		last = items.n;
		rc = record_one(o, &s, &rec, &t[n]);
		kb_itemset_release(&items);
		if (rc)
			goto out;
		store += t[n];
		fflush(stdout);
		if ((n + 1) % 1000 == 0 || n + 1 == o->builds)
			fprintf(stderr,
				"%6ld/%ld builds  %7.1f s  (store %.1f s, %.2f ms per build)\n",
				n + 1, o->builds, now() - start, store,
				store * 1e3 / (double)(n + 1));
	}
	printf("tables: %zu (one in each %d builds adds one of 40-64 KB)\n", ntables, TABLE_EVERY);
	printf("last build: %zu rows (%zu symbols and gaps, %zu bloat-o-meter entries) in %zu "
	       "files, %llu bytes\n",
	       last, g->nlive, last - g->nlive, g->nfiles,
	       (unsigned long long)(g->cls[0] + g->cls[1] + g->cls[2] + g->cls[3] + g->cls[4] +
				    g->cls[5] + g->cls[6]));
	print_times(o, now() - start, t);
	rc = 0;
out:
	kb_store_close(s);
	strbuf_release(&c[0].subject);
	strbuf_release(&c[1].subject);
	strbuf_release(&dotconfig);
	free(t);
	return rc;
}

static void gen_release(struct gen *g)
{
	kb_strtab_release(&g->strs);
	kb_strtab_release(&g->keys);
	kb_strtab_release(&g->bom_keys);
	free(g->dirs);
	free(g->files);
	free(g->fweight);
	free(g->syms);
	free(g->boms);
	strbuf_release(&g->tmp);
}

static long parse_count(const char *arg, const char *opt)
{
	char *end;
	long v = strtol(arg, &end, 10);

	if (*end || end == arg || v < 1) {
		fprintf(stderr, "gen_history: %s %s: not a positive number\n", opt, arg);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "builds", required_argument, NULL, 'b' },
		{ "symbols", required_argument, NULL, 'm' },
		{ "seed", required_argument, NULL, 's' },
		{ "reopen", no_argument, NULL, 'r' },
		{ "config", required_argument, NULL, 'c' },
		{ "append", no_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct opts o = { .config = "tinyconfig", .builds = 10000, .symbols = 40000, .seed = 1 };
	struct gen g = { .tmp = STRBUF_INIT };
	int c, rc;

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (c) {
		case 'b':
			o.builds = parse_count(optarg, "--builds");
			break;
		case 'm':
			o.symbols = parse_count(optarg, "--symbols");
			break;
		case 's':
			o.seed = strtoull(optarg, NULL, 0);
			break;
		case 'r':
			o.reopen = 1;
			break;
		case 'c':
			o.config = optarg;
			break;
		case 'a':
			o.append = 1;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		default:
			fputs(usage_text, stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		fputs(usage_text, stderr);
		return 2;
	}
	o.db = argv[optind];
	if (!o.append && !access(o.db, F_OK)) {
		fprintf(stderr, "gen_history: %s: already exists; remove it first\n", o.db);
		return 2;
	}
	g.rng.s = o.seed;
	printf("gen_history: %s: %ld builds of %ld symbols as config %s, seed %llu%s\n", o.db,
	       o.builds, o.symbols, o.config, o.seed,
	       o.reopen ? ", the store opened for each build" : "");
	fflush(stdout);
	rc = generate(&o, &g);
	gen_release(&g);
	if (rc) {
		fprintf(stderr, "gen_history: %s\n", kb_error_last());
		return 1;
	}
	return 0;
}
