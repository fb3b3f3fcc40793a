/* inline_use.c - crashes at exit inside an inlined header function (inline_use.h), from an
 * atexit handler: the report must name the header's line and the line it was inlined into. */
#include <stdlib.h>

#include "inline_use.h"

int *volatile slot_ptr;

static void at_end(void)
{
	int r = read_slot(slot_ptr);
	slot_ptr = (int *)(long)r;
}

int main(void)
{
	atexit(at_end);
	return 0;
}
