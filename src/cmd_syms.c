#include "kbloat.h"
int cmd_syms(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return KB_EXIT_USAGE;
}
