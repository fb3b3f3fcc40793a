#!/bin/bash
# t034: outcome preservation: every test program (and a few system commands), run with and
# without the shim: the exit status, or the signal it died by, is the same. Prints the table.
. "$(dirname "$0")/lib.sh"
ulimit -c 0
build cxx_threads cxx_threads.cc -- -pthread
build dlopen_host dlopen_host.c -- -pthread -ldl
build plugin.so plugin.cc -- -shared -fPIC
build plugin_quiet.so plugin.cc -- -shared -fPIC -DQUIET
build plugin_atexit.so plugin_atexit.cc -- -shared -fPIC -O2
build dlopen_main dlopen_main.c -- -ldl
build keys keys.c -- -pthread
build forker forker.cc
build libctor_lib.so ctor_lib.cc -- -shared -fPIC
build ctor_main ctor_main.c -- -L"$BIN" -lctor_lib -Wl,-rpath,"$BIN"
build chdir_fork chdir_fork.c
build crashers crashers.c -- -O0 -pthread
build static_tls static_tls.cc
build tls_storm tls_storm.cc -- -O1 -pthread
build fork_storm fork_storm.cc -- -O1 -pthread -ldl
build sigstorm sigstorm.cc -- -O1 -pthread -ldl
build fd_hostile fd_hostile.c -- -pthread
build slow_teardown slow_teardown.c -- -pthread
build selfhandled selfhandled.c -- -pthread
build termsig termsig.c -- -pthread
build handler_hang handler_hang.c -- -pthread -O1
build handler_block handler_block.c -- -pthread -O1
build poll_child poll_child.c
ext=$(build_pyext seedext seedext.cc)
build_pyext pyholder pyholder.cc >/dev/null
inc=$($PY -c 'import sysconfig; print(sysconfig.get_paths()["include"])')
build embed embed.c -- -I"$inc" -lpython3.11 -pthread
export PYTHONPATH=$ext:$ROOT/tests/apps

# each case: its arguments separated by "|"
cases=(
	"$BIN/cxx_threads"
	"$BIN/dlopen_host|$BIN/plugin.so"
	"$BIN/dlopen_main|$BIN/plugin_atexit.so"
	"$BIN/keys"
	"$BIN/forker"
	"$BIN/ctor_main"
	"$BIN/chdir_fork|/"
	"$BIN/crashers|overflow" "$BIN/crashers|thread" "$BIN/crashers|abort" "$BIN/crashers|raise"
	"$BIN/crashers|own" "$BIN/crashers|signal" "$BIN/crashers|abort|nokey"
	"$BIN/static_tls"
	"$BIN/tls_storm|8"
	"$BIN/fork_storm|20|$BIN/plugin_quiet.so"
	"$BIN/sigstorm|$BIN/plugin_quiet.so"
	"$BIN/fd_hostile|closeall|$W/data1" "$BIN/fd_hostile|dup2|$W/data2"
	"$BIN/embed"
	# the hang watchdog's snapshots (TLSTRACE_HANG_MS=50) while the teardown still runs: exit 9 if
	# the program saw anything change (a sleep cut short, a handler, a mask)
	"/usr/bin/env|TLSTRACE_HANG_MS=50|$BIN/slow_teardown|sleepers"
	"/usr/bin/env|TLSTRACE_HANG_MS=50|$BIN/slow_teardown|mutex"
	"/usr/bin/env|TLSTRACE_HANG_MS=50|$BIN/slow_teardown|blocked"
	"/usr/bin/env|TLSTRACE_HANG_MS=50|$PY|-c|import threading, time; threading.Thread(target=time.sleep, args=(0.5,)).start()"
	"/usr/bin/env|TLSTRACE_HANG_MS=50|$PY|-c|import threading, sys; threading.Thread(target=threading.Event().wait, args=(0.5,)).start(); sys.exit(4)"
	# a SIGTERM handler (t205, t206, t235-t237): one that sleeps 1 s in it (exit 9 if cut short), one that
	# returns (exit 9 if a thread was left), one that deadlocks (SIGKILL from its child after 1 s),
	# with another thread, with a full sa_mask; one asleep in pause()
	"/usr/bin/env|TLSTRACE_HANG_MS=300|$BIN/handler_hang|sleep|self"
	"/usr/bin/env|TLSTRACE_HANG_MS=300|$BIN/handler_hang|return|self"
	"/usr/bin/env|TLSTRACE_HANG_MS=300|$BIN/handler_hang|mutex|self"
	"/usr/bin/env|TLSTRACE_HANG_MS=300|$BIN/handler_hang|mtmutex|self"
	"/usr/bin/env|TLSTRACE_HANG_MS=300|$BIN/handler_hang|mtfill|self"
	"/usr/bin/env|TLSTRACE_HANG_MS=300|$BIN/handler_hang|mtblock|self"
	"/usr/bin/env|TLSTRACE_HANG_MS=300|$BIN/handler_hang|mtign|self"
	"/usr/bin/env|TLSTRACE_HANG_MS=300|$BIN/handler_hang|suspend|self"
	"/usr/bin/env|TLSTRACE_HANG_MS=300|$BIN/handler_hang|jump|self"
	"/usr/bin/env|TLSTRACE_HANG_MS=300|$BIN/handler_block|mutex+churn|self"
	"/usr/bin/env|TLSTRACE_HANG_MS=300|$BIN/handler_block|rearm_wait|self"
	"/usr/bin/env|TLSTRACE_HANG_MS=300|$BIN/handler_block|sem|self"
	"/usr/bin/env|TLSTRACE_HANG_MS=300|$BIN/handler_block|brief+reap|self"
	"/usr/bin/env|TLSTRACE_HANG_MS=300|$BIN/handler_block|reaped+reap|self"
	"/usr/bin/env|TLSTRACE_HANG_MS=300|$BIN/handler_hang|pause|self"
	# TLSTRACE_WATCH=auto, opt-in: where breakpoints do not fire it watches nothing (t165)
	"/usr/bin/env|TLSTRACE_WATCH=auto|$BIN/static_tls" "/usr/bin/env|TLSTRACE_WATCH=auto|$BIN/tls_storm|8"
	"$BIN/selfhandled|resethand" "$BIN/selfhandled|reraise" "$BIN/selfhandled|exit" "$BIN/selfhandled|abort"
	"$BIN/selfhandled|sigbus" "$BIN/selfhandled|sigill" "$BIN/selfhandled|nested" "$BIN/selfhandled|thread"
	"$BIN/selfhandled|stale" "$BIN/selfhandled|vfork"
	# termination signals from another process (t140, t141): SIG_DFL deaths, SA_RESETHAND,
	# sigwaitinfo, signalfd, SIG_IGN inherited, blocked in a child or in every thread
	"$BIN/termsig|dfl|TERM" "$BIN/termsig|dfl|QUIT" "$BIN/termsig|dfl|PIPE" "$BIN/termsig|pipe"
	"$BIN/termsig|resethand" "$BIN/termsig|sigwait" "$BIN/termsig|signalfd" "$BIN/termsig|ign"
	"$BIN/termsig|abort" "$BIN/termsig|blockchild" "$BIN/termsig|threadblock"
	# a parent polling with WNOHANG for children it told to stop (t210)
	"$BIN/poll_child|bounded" "$BIN/poll_child|quiet"
	"$PY|$ROOT/tests/apps/seed_main.py" "$PY|$ROOT/tests/apps/holder_main.py"
	"$PY|-c|pass" "$PY|-c|import sys; sys.exit(3)"
	"/bin/true" "/bin/false"
	'/bin/sh|-c|kill -TERM $$' '/bin/sh|-c|kill -KILL $$' '/bin/sh|-c|kill -SEGV $$'
)
describe() { if [ "$1" -gt 128 ]; then echo "signal $(kill -l $(($1 - 128)))"; else echo "exit $1"; fi; }
bad=0
printf '%-60s %-16s %-16s %s\n' program "without shim" "with shim" same
for c in "${cases[@]}"; do
	IFS='|' read -ra argv <<<"$c"
	{ "${argv[@]}"; } >/dev/null 2>&1 </dev/null; a=$?
	{ LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/t.trace "${argv[@]}"; } >/dev/null 2>&1 </dev/null; b=$?
	same=yes
	[ $a = $b ] || { same=NO; bad=$((bad + 1)); }
	c=${c//|/ }
	printf '%-60s %-16s %-16s %s\n' "${c//$ROOT\//}" "$(describe $a)" "$(describe $b)" $same
done
[ $bad = 0 ] || fail "$bad programs end differently with the shim"

# and the same output where a program picks descriptor numbers itself: bash numbers process
# substitutions down from 63, the next open() takes the lowest free number
outputs=(
	'/bin/bash|-c|echo <(true) <(true)'
	"$PY|-c|import os; print(os.open('/dev/null', os.O_RDONLY), os.dup(0))"
)
printf '\n%-60s %s\n' "output of" same
for c in "${outputs[@]}"; do
	IFS='|' read -ra argv <<<"$c"
	a=$("${argv[@]}" 2>&1 </dev/null)
	b=$(LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/t.trace "${argv[@]}" 2>&1 </dev/null)
	same=yes
	[ "$a" = "$b" ] || { same=NO; bad=$((bad + 1)); printf '  without: %s\n  with:    %s\n' "$a" "$b"; }
	c=${c//|/ }
	printf '%-60s %s\n' "${c//$ROOT\//}" $same
done
[ $bad = 0 ] || fail "$bad programs print differently with the shim"
