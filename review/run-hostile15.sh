#!/bin/bash
# HOSTILE15's programs (stop 33), one line each. Fixed in this stop (SAME now): h15_allow_*,
# h15_worker_* (a seccomp allowlist killed the program by SIGSYS: t409), h15_nofile_1024 (fd 1000
# under a soft limit of 1024: t410), h15_sigstack_4096 (the arrival's lines below a 4096-byte
# signal stack of the program's: t411; the byte counts still differ by ~300). Known not SAME:
# h15_setid_atexit and h15_status (the watchdog's thread at exit, the handler's watcher, FDSize of
# the trace's descriptor), h15_mlock_* (the shim's 1.9 MiB of mappings locked by
# mlockall(MCL_CURRENT|MCL_FUTURE); under a tight RLIMIT_MEMLOCK mlockall fails with ENOMEM),
# h15_nofile_5000 (the trace at fd 1000 under a soft limit above 4096), h15_sigstack_* byte counts,
# h15_mfill_* (the same mappings under RLIMIT_DATA and RLIMIT_AS), h15_bt (the trampoline's frame).
# Fixed later in the stop: h15_stderrfull_* (t412), h15_vg_alt (t413), h15_strict_* (t414). h15_vg_status: as h15_status.
cd "$(dirname "$0")" || exit 2
F="-O1 -g -Wall -Wno-unused-result -Wno-unused-variable -Wno-return-type -Wno-infinite-recursion"
gcc $F -o hostile15 hostile15.c -lpthread &&
	g++ -O1 -g -fnon-call-exceptions -fasynchronous-unwind-tables -o hostile15_nce hostile15_nce.cc &&
	g++ -O1 -g -o hostile15_tl hostile15_tl.cc -lpthread -ldl &&
	g++ -O1 -g -fnon-call-exceptions -o hostile15_throw hostile15_throw.cc &&
	g++ -O1 -g -o hostile15_aprog hostile15_aprog.cc -lpthread &&
	gcc -O1 -shared -fPIC -o hostile15_audit.so hostile15_audit.c &&
	gcc $F -o hostile15_rt hostile15_rt.c -lpthread -lrt && gcc $F -o hostile15_deep hostile15_deep.c &&
	gcc $F -o hostile15_status hostile15_status.c -lpthread && gcc $F -o hostile15_glibcthreads hostile15_glibcthreads.c -lrt -lanl -lpthread &&
	gcc $F -o hostile15_mlock hostile15_mlock.c -lpthread && gcc $F -o hostile15_nofile hostile15_nofile.c &&
	gcc $F -o hostile15_sigstack hostile15_sigstack.c -lpthread && gcc $F -o hostile15_allow ../tests/src/seccomp_allowlist.c &&
	g++ -O1 -g -o hostile15_cancel hostile15_cancel.cc -lpthread &&
	gcc $F -o hostile15_gc hostile15_gc.c -lpthread && gcc $F -o hostile15_keys hostile15_keys.c -lpthread &&
	gcc $F -o hostile15_sleeps hostile15_sleeps.c && gcc $F -o hostile15_nest hostile15_nest.c &&
	g++ -O1 -shared -fPIC -o hostile15_plug.so hostile15_plug.cc -lpthread && gcc $F -o hostile15_dlm hostile15_dlm.c -ldl &&
	gcc $F -o hostile15_memfd hostile15_memfd.c && gcc $F -o hostile15_cores hostile15_cores.c -lpthread &&
	gcc $F -o hostile15_mfill hostile15_mfill.c && gcc $F -rdynamic -o hostile15_bt hostile15_bt.c &&
	gcc $F -o hostile15_stderrfull ../tests/src/stderr_full_crash.c && gcc $F -o hostile15_vgalt hostile15_vgalt.c || exit 2
for m in fullmask setid setid_atexit setid_handler exec_atexit exec_hup exec_term exec_thread clearenv acancel; do
	./cmp.sh h15_$m --timeout 30 -- ./hostile15 $m
done
for m in signalfd signalfd_atexit; do ./cmp.sh h15_$m --filter sort --timeout 30 -- ./hostile15 $m; done
# (env's own listing: LD_PRELOAD's place in it follows where the variable was; sorted)
for m in unsetenv emptyenv; do ./cmp.sh h15_$m --env TLSTRACE_FILE=/tmp/h15env.log --trace /tmp/h15env.log --filter sort -- ./hostile15 $m; done
./cmp.sh h15_strict -- sh -c './hostile15 strict </etc/hostname'
# strict mode with a SIGTERM (fixed: t414's program)
gcc $F -o hostile15_strict ../tests/src/seccomp_strict_signals.c || exit 2
for m in handler default segv; do ./cmp.sh h15_strict_$m -- ./hostile15_strict $m; done
for m in segv fpe alrm term segv_info segv_nodefer segv_onstack fpe_info_onstack term_onstack; do
	./cmp.sh h15_nce_$m -- ./hostile15_nce $m
done
for m in fork exit _exit quick_exit raise raise_usr1 abort dlclose pthread_exit newthread newtl cancel exec; do
	./cmp.sh h15_tl_$m --crash -- ./hostile15_tl $m
	./cmp.sh h15_tlm_$m --crash -- ./hostile15_tl $m main
done
./cmp.sh h15_throw --timeout 30 -- ./hostile15_throw
./cmp.sh h15_audit --env LD_AUDIT=$PWD/hostile15_audit.so -- ./hostile15_aprog
./cmp.sh h15_audit_segv --crash --env LD_AUDIT=$PWD/hostile15_audit.so -- ./hostile15_aprog s
for m in join sfd join_min sfd_min; do ./cmp.sh h15_rt_$m --timeout 30 -- ./hostile15_rt $m; done
for s in 64 256 8192; do ./cmp.sh h15_deep_$s -- bash -c "ulimit -s $s; exec setarch -R ./hostile15_deep"; done
./cmp.sh h15_status -- ./hostile15_status
./cmp.sh h15_glibcthreads -- ./hostile15_glibcthreads
./cmp.sh h15_glibcthreads_exit -- ./hostile15_glibcthreads x
for l in 3000 8192; do
	./cmp.sh h15_mlock_$l -- setpriv --reuid=65534 --regid=65534 --clear-groups bash -c "ulimit -l $l; exec ./hostile15_mlock 1"
done
for l in 64 1024 5000; do ./cmp.sh h15_nofile_$l -- bash -c "ulimit -Sn $l; for f in /proc/\$\$/fd/*; do f=\${f##*/}; [ \$f -gt 2 ] && eval \"exec \$f>&-\"; done; exec ./hostile15_nofile $l"; done
for s in 4096 8192; do ./cmp.sh h15_sigstack_$s --env ABS=1 --filter "sed s/used.[0-9]*//" -- ./hostile15_sigstack $s; done
# (t409's program, tests/src/seccomp_allowlist.c)
for m in exit return selfterm; do ./cmp.sh h15_allow_$m -- ./hostile15_allow $m; done
for s in 15 1 2 3 10; do ./cmp.sh h15_worker_$s -- ./hostile15_allow worker $s; done
for m in alarm_sleep select_timeout sigtimedwait thread_join_timeout socket_timeout; do
	./cmp.sh h15_py_$m --timeout 30 -- /usr/bin/python3 hostile15.py $m
done
./cmp.sh h15_cancel -- ./hostile15_cancel
./cmp.sh h15_gc -- ./hostile15_gc
./cmp.sh h15_keys -- ./hostile15_keys
./cmp.sh h15_sleeps -- ./hostile15_sleeps
./cmp.sh h15_sleeps_atexit -- ./hostile15_sleeps x
for m in main atexit; do ./cmp.sh h15_py_eintr_$m --timeout 30 -- /usr/bin/python3 hostile15_eintr.py $m; done
./cmp.sh h15_nest --timeout 30 -- ./hostile15_nest
for m in newlm nodelete plain; do ./cmp.sh h15_dlm_$m -- ./hostile15_dlm $m; ./cmp.sh h15_dlmx_$m -- ./hostile15_dlm $m x; done
./cmp.sh h15_memfd -- ./hostile15_memfd
# (in a scratch directory: the children's cores; the shim's reports of the raised faults on stderr)
mkdir -p out/h15cores && ./cmp.sh h15_cores --crash -- sh -c 'cd out/h15cores && exec ../../hostile15_cores'; rm -rf out/h15cores
# known, not fixed: the shim's private writable mappings (~1.5 MiB, .lbss and the main thread's
# signal stack) count against RLIMIT_DATA and RLIMIT_AS
for o in d v; do ./cmp.sh h15_mfill_$o -- bash -c "ulimit -$o 16384; exec ./hostile15_mfill"; done
# known: a backtrace in a handler shows the shim's trampoline (docs/design.md); the SIGSEGV's report
./cmp.sh h15_bt --crash --filter "sed -e s/0x[0-9a-f]*//g" -- ./hostile15_bt
# a crash whose stderr is a full pipe nobody drains (fixed: t412's program)
for m in segv abort term; do ./cmp.sh h15_stderrfull_$m --timeout 60 -- ./hostile15_stderrfull $m; done
# valgrind --error-exitcode=99 (LD_BIND_NOW=1): status and stdout (stderr has pids). vgalt fixed: t413
if command -v valgrind >/dev/null; then
	for a in "" x; do ./cmp.sh h15_vg_alt${a:+_usr1} --nostderr --env LD_BIND_NOW=1 --timeout 60 -- valgrind -q --error-exitcode=99 ./hostile15_vgalt $a; done
	for p in keys sleeps cancel status; do ./cmp.sh h15_vg_$p --nostderr --env LD_BIND_NOW=1 --timeout 120 -- valgrind -q --error-exitcode=99 ./hostile15_$p; done
	./cmp.sh h15_vg_nce_term --nostderr --env LD_BIND_NOW=1 --timeout 60 -- valgrind -q --error-exitcode=99 ./hostile15_nce term_onstack
fi
if command -v rustc >/dev/null && rustc -O -o hostile15_rs hostile15.rs 2>/dev/null && rustc -O -C panic=abort -o hostile15_rsa hostile15.rs 2>/dev/null; then
	for b in rs rsa; do
		for m in none exit panic spawn tlagain abort mainexit mainreturn panicmain sigpipe stackoverflow threadoverflow; do
			# (a panic's message names the thread id; its backtrace shows tls_dtor_trampoline: stderr not compared)
			./cmp.sh h15_${b}_$m --nostderr --env RUST_BACKTRACE=0 -- ./hostile15_$b $m
		done
	done
else
	echo "h15_rust not run: no rustc"
fi
