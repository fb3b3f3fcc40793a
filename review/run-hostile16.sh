#!/bin/bash
# HOSTILE16's programs (issue 14), one line each: kinds not tried before (hostile16.c, hostile16.py).
# Fixed here: h16_init_* and t450's program (a pid namespace's init: signals at their default action
# the kernel drops reached the shim's handlers), h16_coro_* (t451: a handler on a coroutine's small
# stack died of SIGSEGV, the arrival's lines ran there). Known not SAME: h16_traceme_1/2 (a tracer sees a
# default-action SIGTERM or SIGSEGV twice: the shim's handler re-sends it, or the fault recurs once
# SIG_DFL is back; docs/design.md), h16_ssdisable* (SA_ONSTACK handlers on the main thread after
# SS_DISABLE run on the shim's signal stack: hostile14's onstack kind, docs/design.md).
cd "$(dirname "$0")" || exit 2
F="-O1 -g -Wall -Wno-unused-result"
gcc $F -o hostile16 hostile16.c -lpthread && gcc $F -o hostile16_pidns ../tests/src/pidns_init_signals.c || exit 2
for m in uring "uring exit" "uring term" clonevm pidfd "pidfd 15" "pidfd 10" pdeathsig "pdeathsig 15 h" "pdeathsig 9" "pdeathsig 10 h" \
	subreaper personality maps sigstop "sigstop 2500" traceme "traceme 1" "traceme 2" "traceme 3" rseq "ssdisable" "ssdisable segv" "ssdisable overflow" \
	go "go term" evloop; do
	./cmp.sh "h16_${m// /_}" --crash --timeout 30 -- ./hostile16 $m
done
./cmp.sh h16_rseq_own --env GLIBC_TUNABLES=glibc.pthread.rseq=0 -- ./hostile16 rseq own
./cmp.sh h16_closeall -- sh -c './hostile16 closeall out/h16_closeall.txt; echo $?; cat out/h16_closeall.txt'
for s in unlimited 64 16384; do ./cmp.sh h16_rlimstack_$s --crash -- ./hostile16 rlimstack $s; done
./cmp.sh h16_ulimit_unl_py -- bash -c 'ulimit -s unlimited; exec /usr/bin/python3 -c "import threading; t=threading.Thread(target=print, args=(1,)); t.start(); t.join()"'
# pid 1 of a pid namespace
for m in all atexit abort segv exit_term child_term; do ./cmp.sh h16_init_$m --crash --timeout 30 -- unshare -p -f --mount-proc ./hostile16 init $m; done
# a handler taken on a coroutine's 4096-byte stack, main and thread (fixed: t451's program; the bytes used differ)
gcc $F -o hostile16_coro ../tests/src/coroutine_signal.c -lpthread || exit 2
for m in main thread; do ./cmp.sh h16_coro_$m --nostderr -- ./hostile16_coro 4096 ${m/main/}; done
# signals from outside the namespace (fixed: t450's program)
for m in fork exec; do ./cmp.sh h16_init_outside_$m -- ./hostile16_pidns $m; done
./cmp.sh h16_init_py -- unshare -p -f --mount-proc /usr/bin/python3 -c 'import os, signal; os.kill(1, signal.SIGTERM); print("alive"); os.kill(1, signal.SIGINT)'
# wrappers: timeout, nohup, setsid
./cmp.sh h16_timeout_term --filter 'sed s/[0-9]//g' -- timeout 0.5 ./hostile16 init child_term_never
./cmp.sh h16_timeout_sleep -- timeout 0.3 /usr/bin/python3 -c 'import time; time.sleep(5)'
./cmp.sh h16_timeout_int -- timeout -s INT 0.3 /usr/bin/python3 -c 'import time; time.sleep(5)'
./cmp.sh h16_timeout_fg -- timeout --foreground -k 0.5 0.3 /usr/bin/python3 -c 'import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(5)'
./cmp.sh h16_nohup -- nohup /usr/bin/python3 -c 'import os, signal; print(signal.getsignal(signal.SIGHUP)); os.kill(os.getpid(), signal.SIGHUP); print("alive")'
./cmp.sh h16_setsid -- setsid -w /usr/bin/python3 -c 'import os; print(os.getsid(0) == os.getpid(), os.getpgrp() == os.getpid())'
./cmp.sh h16_setsid_fork -- setsid -f sh -c 'exit 3'
# debugger-attached runs: gdb -batch (pids and addresses filtered)
G='sed -E -e s/[0-9]+//g -e /^\[New.Thread/d'
./cmp.sh h16_gdb_exit --nostderr --filter "$G" --timeout 60 -- gdb -q -batch -ex run -ex bt --args ./hostile16 init child_term
./cmp.sh h16_gdb_segv --nostderr --filter "$G" --timeout 60 -- gdb -q -batch -ex run -ex 'info signals SIGSEGV' --args ./hostile16 ssdisable segv
# python3
for m in dump_later dump_later_atexit dump_repeat fh_segv fh_abort fh_term asyncio sigwait "sigwait x" at_fork wakeup_thread; do
	./cmp.sh "h16_py_${m// /_}" --crash --filter "sed s/0x[0-9a-f]*//" --timeout 30 -- /usr/bin/python3 hostile16.py $m
done
# node (libuv's signal handling and child processes)
if command -v node >/dev/null; then
	for m in handled default children worker uncaught abort; do
		./cmp.sh h16_node_$m --crash --filter "sed s/[0-9][0-9]*//g" --timeout 30 -- node hostile16.js $m
	done
else
	echo "h16_node not run: no node"
fi
