/* leak_in_main.c - main leaks one allocation and returns 42: LeakSanitizer's report of it is
 * made with its frame-pointer unwinder, from malloc up through main to glibc's start (t328). */
#include <stdio.h>
#include <stdlib.h>
void *volatile sink;
int main(int argc, char **argv)
{
	(void)argv;
	char *p = malloc(40 + argc);
	p[0] = 1;
	sink = p;
	sink = NULL;
	puts("leaking");
	return 42;
}
