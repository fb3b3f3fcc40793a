#!/bin/bash
# review/atk11/run.sh: every ATK11 program without and with the shim (one.sh: under `timeout -k 2
# 3` or longer, the hang watchdog at 300 ms), one line each (the outcomes), the reports in
# out/NAME.txt and out/NAME.json; then a few through the `tlstrace -o` wrapper. About 2 minutes.
cd "$(dirname "$0")" || exit 2
P=/usr/bin/python3
gcc -O1 -g -Wall -pthread -o hang hang.c -ldl && gcc -O1 -g -Wall -shared -fPIC -pthread -o libplugin_hang.so ../../tests/src/dlclose_join_plug.c &&
	gcc -O1 -g -Wall -pthread -o kills kills.c && gcc -O1 -g -Wall -pthread -o handlers handlers.c -ldl &&
	gcc -O1 -g -Wall -shared -fPIC -o libsigplug.so ../../tests/src/ctor_sigterm_plug.c && g++ -O1 -g -pthread -o cxx cxx.cc || { echo "cannot build"; exit 2; }
# hangs (C, C++)
for m in mutex_cond rwlock once dtor_join_sem handler_blocks; do ./one.sh $m -- ./hang $m; done
./one.sh dlclose -- ./hang dlclose "$PWD/libplugin_hang.so"
./one.sh dlclose_atexit -- ./hang dlclose_atexit "$PWD/libplugin_hang.so"
for m in static_join tls_normal tls_recursive tls_errcheck; do ./one.sh cxx_$m -- ./cxx $m; done
gcc -O1 -g -pthread -o rw ../../tests/src/atexit_rwlock.c && for m in rd wr readers; do ./one.sh rw_$m -- ./rw $m; done
# hangs (Python 3.11)
for m in atexit_queue cond_nondaemon executor ctypes_sleep logging_lock mp_child del_subprocess handler_blocks signal_in_thread; do
	./one.sh py_$m -- $P pyhang.py $m
done
# kills
for m in term_kill killpg sigqueue abrt segv before tgkill; do ./one.sh k_$m --to 8 -- ./kills $m; done
./one.sh k_term_kill_child --to 8 -- ./kills term_kill child
./one.sh k_term_kill_parent --to 8 -- ./kills term_kill parent
# handlers
./one.sh h_lib_replaces -- ./handlers lib_replaces "$PWD/libsigplug.so"
for m in ign_exec blocked_exec resethand; do ./one.sh h_$m -- ./handlers $m; done
# the wrapper: the program's status (timeout's 124 for a hang) and a report that names the trace
w() {
	local n=$1; shift
	rm -f "out/$n.w.trace"
	timeout -k 2 3 ../../tlstrace -o "out/$n.w.trace" -- "$@" >"out/$n.w.out" 2>"out/$n.w.err"
	echo "$n (wrapper): status $?, $(grep -c '^\[[0-9]*\] ' "out/$n.w.err") findings, trace $(test -s "out/$n.w.trace" && echo kept || echo missing)"
}
w rwlock ./hang rwlock
w py_executor $P pyhang.py executor
w k_tgkill ./kills tgkill
w h_lib_replaces ./handlers lib_replaces "$PWD/libsigplug.so"
