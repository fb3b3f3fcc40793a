/* read_bench.c - what the shim's read-family entries (shim/reads.c) cost in a program that is not
 * python3, or on its threads where nothing is asked: N calls of one kind (bench/run reads).
 *   read-zero    read(2) of 1 byte from /dev/zero
 *   read-pipe    write then read of 1 byte on a pipe (two calls, one wrapped)
 *   recv-eagain  recv(MSG_DONTWAIT) on an empty socketpair end: EAGAIN
 *   fcntl-getfl  fcntl(F_GETFL) (fcntl64 here: _FILE_OFFSET_BITS=64; the command compared only)
 *   gcc -O2 -D_FILE_OFFSET_BITS=64 -o /tmp/read_bench bench/read_bench.c */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	const char *kind = argc > 1 ? argv[1] : "read-zero";
	long n = argc > 2 ? atol(argv[2]) : 1000000;
	int z = open("/dev/zero", O_RDONLY), p[2], sv[2];
	char b[1] = {0};
	if (z < 0 || pipe(p) != 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
		return 1;
	for (long i = 0; i < n; i++) {
		if (!strcmp(kind, "read-zero")) {
			if (read(z, b, 1) != 1)
				return 1;
		} else if (!strcmp(kind, "read-pipe")) {
			if (write(p[1], b, 1) != 1 || read(p[0], b, 1) != 1)
				return 1;
		} else if (!strcmp(kind, "recv-eagain")) {
			if (recv(sv[0], b, 1, MSG_DONTWAIT) != -1)
				return 1;
		} else if (fcntl(z, F_GETFL) < 0) {
			return 1;
		}
	}
	return 0;
}
