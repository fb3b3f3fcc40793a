#!/bin/bash
# t444: a termination signal sent again after the process took the first one (Apache prefork's
# parent signals its process group, then each child 3 ms later; a supervisor's retry) is a repeat
# of a stop the process took, not a stop that "never arrived", even when the process's handler
# ignores the signal by then (Apache's just_die sets SIG_IGN): no signal-handler finding. A
# SIGTERM ignored from the start still is one (t343's kind).
. "$(dirname "$0")/lib.sh"
mkdir -p "$W" && cd "$W"
cat >rep.c <<'C'
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
static void parent_term(int sig) { (void)sig; }
static void on_term(int sig) {
	struct timespec ts = {0, 300000000};
	signal(sig, SIG_IGN); /* as Apache's child does: the rest of its shutdown ignores it */
	nanosleep(&ts, NULL);
	_exit(0);
}
int main(int argc, char **argv) {
	int ignore = argc > 1 && !strcmp(argv[1], "ignore");
	pid_t c = fork();
	if (c == 0) {
		if (ignore)
			signal(SIGTERM, SIG_IGN);
		else
			signal(SIGTERM, on_term);
		for (;;)
			pause();
	}
	struct timespec ts = {0, 100000000};
	nanosleep(&ts, NULL);
	if (ignore) {
		kill(c, SIGTERM);
	} else {
		/* Apache prefork's way: its own group first (it handles the signal), then the child */
		signal(SIGTERM, parent_term);
		killpg(0, SIGTERM);
	}
	nanosleep(&ts, NULL);
	kill(c, SIGTERM);
	if (ignore) {
		nanosleep(&ts, NULL);
		kill(c, SIGKILL);
	}
	waitpid(c, NULL, 0);
	return 0;
}
C
gcc -O1 -o rep rep.c || fail "build"
for m in repeat ignore; do
	rm -f $m.trace
	# (its own process group: its killpg reaches it and its child only)
	LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/$m.trace setsid -w ./rep $m || fail "$m: status $?"
	"$REPORT" --color=never $m.trace >$m.txt 2>&1
done
! grep -q "never arrived" repeat.txt || fail "repeat: $(grep -m1 'never arrived' repeat.txt)"
# the same trace with the child's arrival line written before the parent's killpg line (the parent
# writes its kill line once killpg() returned; the child may take the signal first, as Apache's
# child did in s3, and the direct kill then seemed to come after no arrival): still a repeat
k1=$(awk '$5 == "kill" && $6 == "killpg" { print $3; exit }' repeat.trace)
[ -n "$k1" ] || fail "repeat: no killpg line: $(grep ' kill ' repeat.trace)"
c=$(awk '$5 == "fork" { print $6; exit }' repeat.trace)
awk -v t=$((k1 - 20000)) -v c="$c" '$1 == c && $5 == "sig_arrive" && $6 == 15 { $3 = t } { print }' repeat.trace >early.trace
"$REPORT" --color=never early.trace >early.txt 2>&1
! grep -q "never arrived" early.txt || fail "early: $(grep -m1 'never arrived' early.txt)"
grep -q "the SIGTERM that process [0-9]* (rep) sent to process [0-9]* (rep) never arrived" ignore.txt ||
	fail "ignore: no lost stop: $(sed -n '/^verdict/,/^$/p' ignore.txt)"
exit 0
