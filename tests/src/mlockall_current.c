/* mlockall_current.c: mlockall(MCL_CURRENT), then prints "mlockall 0 VmLck N" or "mlockall -1
 * ERRNO" (t498: run as nobody under a tight RLIMIT_MEMLOCK) */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

int main(void)
{
	char l[256];
	long kb = -1;
	int r = mlockall(MCL_CURRENT);
	FILE *f = fopen("/proc/self/status", "r");
	while (f && fgets(l, sizeof l, f))
		if (!strncmp(l, "VmLck:", 6))
			sscanf(l + 6, "%ld", &kb);
	if (r)
		printf("mlockall -1 %s\n", strerrorname_np(errno));
	else
		printf("mlockall 0 VmLck %ld\n", kb);
	return r ? 1 : 0;
}
