/* asan_uaf: a heap use after free that AddressSanitizer reports; ASan then ends the process with
 * its own direct exit (status 1), which the shim cannot see (t468) */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
	int *p = malloc(sizeof *p);
	*p = 1;
	free(p);
	printf("%d\n", *p);
	return 0;
}
