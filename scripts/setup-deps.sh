#!/usr/bin/env bash
# setup-deps.sh [--test]: installs what kbloat needs from Debian's packages, by name.
# Without --test: what building and running need (ccache: what collect builds with by
# default, and t0025 checks it does; libcapstone-dev: the analyzer decodes x86 and arm64 code
# to give string literals and other unnamed constants the file of the code that uses them;
# zlib1g-dev, liblzma-dev and libzstd-dev read gzip/xz/zstd-compressed images and modules:
# vmlinux.gz, .ko.xz, .ko.zst; gawk: kbuild runs it for modules.builtin.ranges, which
# kernels/configs/map.config turns on in 6.12+ trees). With --test: also what the test suite
# uses (clang and its sanitizer/fuzzer runtime, python3 and Debian's linux-source-6.1 for
# the kernel's scripts/bloat-o-meter, GNU parallel for the shard test, python3-jsonschema
# for the report's schema, headless Chromium and python3-pil to look at the site as a browser
# draws it, strace to see that the site starts no kbloat of its own, cmark-gfm to render
# ci's Markdown as GitHub does (CommonMark with GitHub's tables) and libxml2-utils' xmllint
# to validate its JUnit XML against tests/fixtures/junit.xsd, and the RISC-V cross
# compiler, QEMU and OpenSBI that build and boot the reference thin hypervisor, dtc
# (device-tree-compiler) for its Linux guest's device tree, and flex, bison and bc, which
# t0041's build of that guest's kernel from linux-source-6.1 needs). t0090
# checks size, diff and the maps on every toolchain kernels are built with: the riscv64 and
# aarch64 cross compilers, lld beside clang (LLVM=1 links, ThinLTO, lld's maps), and
# Debian's linux-source-6.12 for the newer scripts/bloat-o-meter (6.6 on counts weak
# symbols) beside 6.1's; lintian checks the .deb t0111 builds as Debian checks its own.
# Skips apt entirely when everything is installed.
set -euo pipefail

pkgs=(build-essential cmake ninja-build pkg-config binutils git
      libelf-dev libdwarf-dev zlib1g-dev liblzma-dev libzstd-dev libsqlite3-dev libgit2-dev libjansson-dev
      gnuplot-nox ccache libcapstone-dev gawk)
if [ "${1:-}" = "--test" ]; then
	pkgs+=(clang libclang-rt-14-dev python3 xz-utils zstd linux-source-6.1 time man-db parallel
	      python3-jsonschema chromium python3-pil strace cmark-gfm libxml2-utils
	      gcc-riscv64-linux-gnu qemu-system-misc opensbi device-tree-compiler flex bison bc
	      gcc-aarch64-linux-gnu lld linux-source-6.12 lintian)
fi

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
echo "setup-deps: installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
	"${missing[@]}" >/dev/null
