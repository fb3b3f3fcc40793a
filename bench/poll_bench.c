/* poll_bench.c - what a WNOHANG poll costs under the shim when it writes nothing (docs/design.md,
 * wait_poll): N calls of waitpid(-1, WNOHANG) with one child alive (uWSGI's master's loop); with a
 * second argument `pid`, of waitpid(CHILD, WNOHANG) (a run of empty polls of one child: with
 * TLSTRACE_HANG_MS=3600000 its worst case, a clock read per poll and never a line).
 *   gcc -O2 -o /tmp/poll_bench bench/poll_bench.c
 *   for n in 100000 200000; do LD_PRELOAD=$PWD/libtlstrace.so TLSTRACE_FILE=/tmp/pb.log \
 *       valgrind --tool=callgrind --callgrind-out-file=/dev/null /tmp/poll_bench $n; done
 * The difference of the two totals over 100000 is the instructions per poll, libc's included. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1000000, st, one = argc > 2 && argv[2][0] == 'p';
	pid_t c = fork();
	if (c == 0) {
		pause();
		_exit(0);
	}
	for (int i = 0; i < n; i++)
		if (waitpid(one ? c : -1, &st, WNOHANG) != 0)
			return 1;
	kill(c, SIGKILL);
	waitpid(c, &st, 0);
	return 0;
}
