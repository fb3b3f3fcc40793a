#!/bin/bash
# HOSTILE18's programs (issue 14), one line each: kinds not tried before (hostile18.c,
# hostile18_tl.cc with hostile18_tllib.so, hostile18.py, hostile18_servers.sh), and the known
# gaps' programs. Fixed here: h15_setid_handler's watcher in /proc/self/task under load (t496),
# the handler watcher under a filter (t497), mlockall under a tight RLIMIT_MEMLOCK (t498, partly).
cd "$(dirname "$0")" || exit 2
F="-O1 -g -Wall -Wno-unused-result"
gcc $F -o hostile18 hostile18.c -lpthread || exit 2
g++ $F -fPIC -shared -o hostile18_tllib.so hostile18_tllib.cc && g++ $F -o hostile18_tl hostile18_tl.cc -ldl -lpthread || exit 2
for m in timerslack affinity vfork_exit cancel_atexit_sleep cancel_atexit_read longjmp_atexit exit_race sigpipe_ign \
	sigpipe_dfl stdout_full env clone3_cgroup itimer_real alarm_atexit nested_atexit key_exit names \
	resethand_again exit_in_atexit sigsuspend_atexit; do
	./cmp.sh h18_$m --crash -- ./hostile18 $m
done
./cmp.sh h18_stdout_closed --crash -- sh -c './hostile18 stdout_closed; echo "status $?" >&2'
for m in nodump_segv core0_abort; do ./cmp.sh h18_$m --crash --nostderr -- ./hostile18 $m; done
for m in atexit_main atexit_thread dlclose_pending dlclose_thread; do ./cmp.sh h18_tl_$m --crash -- ./hostile18_tl $m; done
# the dynamic loader's environment
./cmp.sh h18_bind_now --crash --env LD_BIND_NOW=1 -- ./hostile18 cancel_atexit_sleep
./cmp.sh h18_bind_now_tl --crash --env LD_BIND_NOW=1 -- ./hostile18_tl dlclose_thread
./cmp.sh h18_ld_library_path --crash --env LD_LIBRARY_PATH=/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu -- ./hostile18 nested_atexit
# (LD_DEBUG's own lines name every object and binding, the shim's too: stdout and status only)
./cmp.sh h18_ld_debug_all --nostderr --env LD_DEBUG=all -- ./hostile18 itimer_real
./cmp.sh h18_env_i --crash -- sh -c 'env -i LD_PRELOAD="$LD_PRELOAD" TLSTRACE_FILE="$TLSTRACE_FILE" ./hostile18 env'
# setuid binaries under the preload (AT_SECURE as nobody: ld.so drops a preload path with a slash)
if command -v setpriv >/dev/null && [ "$(id -u)" = 0 ]; then
	./cmp.sh h18_su_nobody --crash -- setpriv --reuid=65534 --regid=65534 --clear-groups sh -c 'su root -c id </dev/null; echo "su $?"'
	./cmp.sh h18_su_root --crash -- sh -c 'su nobody -s /bin/sh -c "id -u; exit 3"; echo "su $?"'
fi
# python3
for m in setitimer_exit setitimer_sysexit timer_thread affinity stdout_closed sigpipe_print posix_spawn_sigmask_term \
	pthread_sigmask_exit daemon_thread_exit fork_in_handler_exit; do
	./cmp.sh "h18_py_$m" --crash --filter "sed -E s/0x[0-9a-f]+//g" --timeout 30 -- /usr/bin/python3 hostile18.py $m
done
# servers under a reload (their logs carry pids and times: stdout and status only)
/usr/bin/python3 -c 'import gunicorn' 2>/dev/null && ./cmp.sh h18_gunicorn_hup --nostderr --timeout 60 -- ./hostile18_servers.sh gunicorn_hup
[ -e /usr/lib/apache2/modules/mod_wsgi.so ] && [ "$(id -u)" = 0 ] &&
	./cmp.sh h18_apache_graceful --nostderr --timeout 60 -- ./hostile18_servers.sh apache_graceful
# known gap 1: how far below the signal stack's top or the raiser's frame a handler's first local
# lies (DIFFERENT: 16 bytes lower with the shim, 224-256 before termentry.S: t499)
gcc $F -o hostile18_depth ../tests/src/handler_depth.c -lpthread && ./cmp.sh h18_handler_depth -- ./hostile18_depth
# the known gaps' programs (HOSTILE15): a SIGTERM handler that changes its ids (16 runs), mlockall as nobody
gcc $F -o hostile15 hostile15.c -lpthread && gcc $F -o hostile15_mlock hostile15_mlock.c -lpthread || exit 2
for i in $(seq 16); do ./cmp.sh h18_setid_handler -- ./hostile15 setid_handler; done | sort | uniq -c | sed 's/^ *//'
for l in 3000 3300 3500; do
	./cmp.sh h18_mlock_$l -- setpriv --reuid=65534 --regid=65534 --clear-groups bash -c "ulimit -l $l; exec ./hostile15_mlock 0"
done
