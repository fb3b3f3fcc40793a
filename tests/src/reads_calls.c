/* reads_calls.c - the read, receive, accept, connect, signal-wait and lock-wait calls the shim
 * watches in python3's teardown (shim/reads.c; signals.c's sigtimedwait and waitpid) called in the
 * cases where a wrapper could change what the caller sees: errors (return value and errno, errno
 * left alone by a call that succeeds), data ready, a descriptor that does not block, EINTR from a
 * handler without SA_RESTART, cancellation at each cancellation point (deferred cancellation
 * pending: the call acts on it); each line printed; t319 compares the lines with and without the
 * shim. Built with _FILE_OFFSET_BITS=64 (fcntl is fcntl64, as in python3), as a program (main)
 * and as a shared library whose reads_calls(tag) python3 calls through ctypes, in its main code and
 * in an atexit callback (the wrappers' Python path: shim/python.c py_fin_blocking_fd). No
 * descriptor numbers printed: the shim's trace takes one. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "calls_check.h"

static char sock_path[108];

/* a listening AF_UNIX stream socket at sock_path (blocking) */
static int listener(void)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	snprintf(sock_path, sizeof sock_path, "/tmp/reads_calls.%d", (int)getpid());
	unlink(sock_path);
	strcpy(a.sun_path, sock_path);
	if (bind(s, (struct sockaddr *)&a, sizeof a) != 0 || listen(s, 8) != 0)
		abort();
	return s;
}

static int unix_connect(int s, const char *path)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	strcpy(a.sun_path, path);
	return connect(s, (struct sockaddr *)&a, sizeof a);
}

static char lock_path[64];

/* cancellation: the thread cancels itself (deferred, pending) and makes call k; a cancellation
 * point acts on it there and the thread ends PTHREAD_CANCELED */
static void *cancel_at(void *arg)
{
	long k = (long)arg;
	int p[2], sv[2], l = -1, f = -1;
	char b[4];
	struct iovec iov = {b, 1};
	struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1};
	struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
	if (pipe(p) != 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
		return NULL;
	if (k == 5 || k == 6)
		l = listener();
	if (k == 8)
		f = open(lock_path, O_RDWR);
	pthread_cancel(pthread_self());
	switch (k) {
	case 0: (void)!read(p[0], b, 1); break;
	case 1: (void)!readv(p[0], &iov, 1); break;
	case 2: (void)!recv(sv[0], b, 1, 0); break;
	case 3: (void)!recvfrom(sv[0], b, 1, 0, NULL, NULL); break;
	case 4: (void)!recvmsg(sv[0], &m, 0); break;
	case 5: (void)!accept4(l, NULL, NULL, SOCK_CLOEXEC); break;
	case 6: (void)!unix_connect(sv[1], sock_path); break;
	case 7: pause(); break;
	case 8: (void)!fcntl(f, F_OFD_SETLKW, &fl); break;
	}
	return (void *)1; /* not cancelled */
}

void reads_calls(const char *tag)
{
	static const char *const names[] = {"read", "readv", "recv", "recvfrom", "recvmsg", "accept4", "connect", "pause",
					    "fcntl F_OFD_SETLKW"};
	int p[2], sv[2], l, c, f, g;
	char b[8], line[64];
	struct iovec iov = {b, sizeof b};
	struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1};
	struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
	sigset_t usr1, none;
	siginfo_t si;
	struct timespec z = {0, 0};
	void *volatile bad = (void *)8; /* (hidden from the compiler's checks) */
	pid_t kid;
	tag_ = tag;
	if (pipe(p) != 0 || socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
		return;
	snprintf(lock_path, sizeof lock_path, "/tmp/reads_calls.%d.lock", (int)getpid());
	/* read, readv */
	CALL("read badfd", read(-1, b, 1));
	CALL("read 0 bytes", read(p[0], b, 0));
	CALL("write", write(p[1], "abc", 3));
	CALL("read efault", read(p[0], bad, 1));
	CALL("read ready", read(p[0], b, 1));
	CALL("readv ready", readv(p[0], &iov, 1));
	CALL("readv badfd", readv(-1, &iov, 1));
	CALL("readv einval", readv(p[0], &iov, -1));
	CALL("fcntl nonblock", fcntl(p[0], F_SETFL, O_NONBLOCK));
	CALL("read nonblock empty", read(p[0], b, 1));
	CALL("fcntl getfl nonblock", (fcntl(p[0], F_GETFL) & O_NONBLOCK) != 0);
	CALL("fcntl block", fcntl(p[0], F_SETFL, 0));
	CALL("read /dev/null", read(f = open("/dev/null", O_RDONLY), b, 1));
	close(f);
	alarm_soon();
	CALL("read eintr", read(p[0], b, 1));
	alarm_soon();
	CALL("readv eintr", readv(p[0], &iov, 1));
	/* recv, recvfrom, recvmsg */
	CALL("recv badfd", recv(-1, b, 1, 0));
	CALL("recv notsock", recv(p[0], b, 1, MSG_DONTWAIT));
	CALL("recv dontwait empty", recv(sv[0], b, 1, MSG_DONTWAIT));
	CALL("send", send(sv[1], "abcd", 4, 0));
	CALL("recv ready", recv(sv[0], b, 1, 0));
	CALL("recvfrom ready", recvfrom(sv[0], b, 1, 0, NULL, NULL));
	CALL("recvmsg ready", recvmsg(sv[0], &m, 0));
	CALL("recvmsg badfd", recvmsg(-1, &m, 0));
	CALL("recvfrom efault", recvfrom(sv[0], bad, 1, MSG_DONTWAIT, NULL, NULL));
	alarm_soon();
	CALL("recv eintr", recv(sv[0], b, 1, 0));
	alarm_soon();
	CALL("recvfrom eintr", recvfrom(sv[0], b, 1, 0, NULL, NULL));
	alarm_soon();
	CALL("recvmsg eintr", recvmsg(sv[0], &m, 0));
	/* accept4, connect */
	l = listener();
	CALL("accept4 badfd", accept4(-1, NULL, NULL, 0));
	CALL("accept4 notsock", accept4(p[0], NULL, NULL, 0));
	CALL("accept4 badflags", accept4(l, NULL, NULL, 12345678));
	CALL("accept4 on a connected socket", accept4(sv[0], NULL, NULL, 0));
	alarm_soon();
	CALL("accept4 eintr", accept4(l, NULL, NULL, SOCK_CLOEXEC));
	c = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	CALL("connect badfd", unix_connect(-1, sock_path));
	CALL("connect noent", unix_connect(c, "/nonexistent/reads_calls"));
	CALL("connect ok", unix_connect(c, sock_path));
	CALL("connect again", unix_connect(c, sock_path));
	CALL("accept4 ready (>=0)", accept4(l, NULL, NULL, SOCK_CLOEXEC) >= 0);
	close(c);
	/* pause, sigtimedwait, sigwaitinfo */
	alarm_soon();
	CALL("pause eintr", pause());
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigemptyset(&none);
	pthread_sigmask(SIG_BLOCK, &usr1, NULL);
	CALL("sigtimedwait 0", sigtimedwait(&usr1, &si, &z));
	raise(SIGUSR1);
	CALL("sigtimedwait pending", sigtimedwait(&usr1, &si, &z));
	raise(SIGUSR1);
	CALL("sigwaitinfo pending", sigwaitinfo(&usr1, &si));
	alarm_soon();
	CALL("sigwaitinfo eintr", sigwaitinfo(&usr1, &si));
	pthread_sigmask(SIG_UNBLOCK, &usr1, NULL);
	/* flock, fcntl's lock waits (OFD locks: two open file descriptions of one process conflict) */
	f = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	g = open(lock_path, O_RDWR | O_CLOEXEC);
	CALL("flock badfd", flock(-1, LOCK_EX));
	CALL("flock einval", flock(f, 0));
	CALL("flock ex", flock(f, LOCK_EX));
	CALL("flock nb held", flock(g, LOCK_EX | LOCK_NB));
	alarm_soon();
	CALL("flock eintr", flock(g, LOCK_EX));
	CALL("flock un", flock(f, LOCK_UN));
	CALL("fcntl ofd setlk", fcntl(f, F_OFD_SETLK, &fl));
	CALL("fcntl ofd setlk held", fcntl(g, F_OFD_SETLK, &fl));
	alarm_soon();
	CALL("fcntl ofd setlkw eintr", fcntl(g, F_OFD_SETLKW, &fl));
	CALL("fcntl setlkw badfd", fcntl(-1, F_SETLKW, &fl));
	CALL("fcntl setlkw efault", fcntl(g, F_SETLKW, bad));
	CALL("fcntl getfd", fcntl(f, F_GETFD));
	CALL("fcntl dupfd (>=0)", fcntl(f, F_DUPFD_CLOEXEC, 0) >= 0);
	CALL("fcntl badcmd", fcntl(f, 123456));
	/* waitpid */
	CALL("waitpid echild", waitpid(-1, NULL, 0));
	kid = fork();
	if (kid == 0) {
		pause();
		_exit(0);
	}
	alarm_soon();
	CALL("waitpid eintr", waitpid(kid, NULL, 0));
	kill(kid, SIGKILL);
	CALL("waitpid reaped (=kid)", waitpid(kid, NULL, 0) == kid);
	close(f); /* (the OFD lock stays with g's conflict gone once f's description closes) */
	for (long k = 0; k < 9; k++) {
		pthread_t t;
		void *ret = NULL;
		if (k == 8) { /* a lock held by another open file description: F_OFD_SETLKW would wait */
			f = open(lock_path, O_RDWR | O_CLOEXEC);
			fcntl(f, F_OFD_SETLK, &fl);
		}
		pthread_create(&t, NULL, cancel_at, (void *)k);
		pthread_join(t, &ret);
		snprintf(line, sizeof line, "cancel at %s", names[k]);
		show(line, ret == PTHREAD_CANCELED, 77);
		unlink(sock_path);
	}
	close(f);
	close(g);
	close(l);
	unlink(lock_path);
	unlink(sock_path);
	close(p[0]);
	close(p[1]);
	close(sv[0]);
	close(sv[1]);
}

#ifdef MAIN
int main(void)
{
	reads_calls("c");
	return 0;
}
#endif
