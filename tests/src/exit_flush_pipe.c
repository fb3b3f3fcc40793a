/* exit_flush_pipe.c - t415: main returns with 1 MiB of stdout buffered (a full buffer of its own,
 * setvbuf), so exit() flushes it after its atexit handlers (glibc stdlib/exit.c: _IO_cleanup) into
 * stdout, a pipe whose reader never reads: the flush blocks in write once the pipe is full. */
#include <stdio.h>

int main(void)
{
	static char buf[1 << 20];
	setvbuf(stdout, buf, _IOFBF, sizeof buf);
	for (int i = 0; i < 20000; i++)
		printf("line %d of a report nobody reads yet\n", i);
	return 0;
}
