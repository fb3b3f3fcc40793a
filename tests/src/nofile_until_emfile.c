/* nofile_until_emfile.c: opens /dev/null until open() fails, then prints how many it opened, the
 * last number and the numbers it skipped (descriptors it did not get between 3 and the last),
 * and whether fd 1000 was one of its own (t410). Under RLIMIT_NOFILE N with 0-2 open and nothing
 * else inherited: N - 3 opens, last N - 1, none skipped. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

int main(void)
{
	struct rlimit rl;
	int n = 0, last = 2, skipped = 0, got1000 = 0;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return 2;
	for (;;) {
		int fd = open("/dev/null", O_RDONLY);
		if (fd < 0) {
			printf("soft limit %ld: %d opens, then %s\n", (long)rl.rlim_cur, n, strerrorname_np(errno));
			break;
		}
		skipped += fd - last - 1;
		got1000 |= fd == 1000;
		last = fd;
		n++;
	}
	printf("last %d, skipped %d, fd 1000 %s\n", last, skipped, got1000 ? "ours" : "not ours");
	return 0;
}
