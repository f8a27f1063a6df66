# ks_sample.sh - sourced after lib.sh by the tests of the kallsyms table (t0052, and t0129
# and t0130 through kallsyms_tree.sh): the sample tree ($tree, the history's newest commit)
# with the kallsyms step (tests/fixtures/kbuild-kallsyms.patch), the tristate candidate
# lib/ks_demo.o (KS_DEMO: functions with long names, a static one) and the obj-y data-only
# lib/ks_names.o; and add FILE TEXT, which appends lines to a file of the tree.
: "${HISTORY:?}"
tree=$SCRATCH/tree
mkdir -p "$tree"
git -C "$HISTORY/repo" archive main | tar -x -C "$tree"
(cd "$tree" && GIT_CEILING_DIRECTORIES=$SCRATCH git apply "$TESTS_SRC/fixtures/kbuild-kallsyms.patch") ||
	{ fail "the kallsyms patch applies to the sample tree"; done_testing; }

add() { # add FILE TEXT: append a line (or lines) to FILE of the tree
	mkdir -p "$(dirname "$tree/$1")"
	printf '%s\n' "$2" >>"$tree/$1"
}
add lib/Kconfig $'\nconfig KS_DEMO\n\ttristate "kallsyms demo: functions with long names"\n\tdefault y'
add lib/Makefile $'obj-$(CONFIG_KS_DEMO) += ks_demo.o\nobj-y += ks_names.o'
{
	echo '#include <linux/kernel.h>'
	echo 'static int __attribute__((__noinline__)) ks_demo_local_helper_with_a_long_name(int x) { return x * 7 + 3; }'
	for i in 01 02 03 04 05 06 07 08 09 10 11 12; do
		echo "int ks_demo_frobnicate_the_widget_number_$i(int x) { return ks_demo_local_helper_with_a_long_name(x + 1$i) ^ 0x$i; }"
	done
	echo 'int ks_demo_counter;'
} >"$tree/lib/ks_demo.c"
add lib/ks_names.c $'const char ks_names_of_the_greek_letters[6][16] = { "alpha", "beta", "gamma", "delta", "epsilon", "zeta" };\nint ks_names_count_of_letters = 6;'
