/* review/state.h: print what a program can read of its own state, in a form that does not
 * depend on ASLR: descriptors (number, target, FD_CLOEXEC, O_ flags), sigaction() of signals
 * 1..64 (handler DFL/IGN/FN, sa_flags, sa_mask, sa_restorer set or not), the signal mask, the
 * number of mappings. Used by the review programs only; not async-signal-safe. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void st_fds(const char *tag)
{
	DIR *d = opendir("/proc/self/fd");
	int self = dirfd(d);
	struct dirent *e;
	int fds[4096], n = 0;
	while ((e = readdir(d)) && n < 4096) {
		if (e->d_name[0] == '.') continue;
		int fd = atoi(e->d_name);
		if (fd != self) fds[n++] = fd;
	}
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++)
			if (fds[j] < fds[i]) { int t = fds[i]; fds[i] = fds[j]; fds[j] = t; }
	for (int i = 0; i < n; i++) {
		char p[64], l[256] = "";
		snprintf(p, sizeof p, "/proc/self/fd/%d", fds[i]);
		ssize_t k = readlink(p, l, sizeof l - 1);
		if (k > 0) l[k] = 0;
		/* pipe:[inode] and socket numbers differ run to run: keep the kind only */
		char *b = strchr(l, '[');
		if (b && (strncmp(l, "pipe:", 5) == 0 || strncmp(l, "socket:", 7) == 0 ||
			  strncmp(l, "anon_inode:", 11) == 0)) *b = 0;
		if (strncmp(l, "/tmp/", 5) == 0 && strstr(l, "u8trace")) strcpy(l, "TRACE");
		printf("%s fd %d %s cloexec=%d fl=%#x\n", tag, fds[i], l,
		       fcntl(fds[i], F_GETFD) & FD_CLOEXEC, fcntl(fds[i], F_GETFL));
	}
	closedir(d);
}

static void st_set(const char *tag, const char *what, const sigset_t *s)
{
	printf("%s %s", tag, what);
	int any = 0;
	for (int i = 1; i <= 64; i++)
		if (sigismember(s, i)) { printf(" %d", i); any = 1; }
	printf("%s\n", any ? "" : " -");
}

static void *st_known_fn[8];
static void st_sigs(const char *tag)
{
	for (int i = 1; i <= 64; i++) {
		struct sigaction sa;
		if (sigaction(i, NULL, &sa) != 0) { printf("%s sig %d err\n", tag, i); continue; }
		const char *h;
		char hb[32];
		if (sa.sa_handler == SIG_DFL) h = "DFL";
		else if (sa.sa_handler == SIG_IGN) h = "IGN";
		else {
			h = "FN?";
			for (int k = 0; k < 8; k++)
				if (st_known_fn[k] && st_known_fn[k] == (void *)sa.sa_handler) {
					snprintf(hb, sizeof hb, "FN%d", k); h = hb;
				}
		}
		printf("%s sig %d %s flags=%#x restorer=%s", tag, i, h, (unsigned)sa.sa_flags,
		       sa.sa_restorer ? "set" : "null");
		int any = 0;
		for (int j = 1; j <= 64; j++)
			if (sigismember(&sa.sa_mask, j)) { printf("%s%d", any ? "," : " mask=", j); any = 1; }
		printf("\n");
	}
	sigset_t m;
	sigprocmask(SIG_SETMASK, NULL, &m);
	st_set(tag, "mask", &m);
}

static int st_maps(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	int n = 0, c;
	while ((c = getc(f)) != EOF) n += c == '\n';
	fclose(f);
	return n;
}

static void st_all(const char *tag)
{
	st_fds(tag);
	st_sigs(tag);
	fflush(stdout);
}
