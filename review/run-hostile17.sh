#!/bin/bash
# HOSTILE17's programs (issue 14), one line each: kinds not tried before (hostile17.c, hostile17.py,
# hostile17_uwsgi.sh). Fixed here: h17_seccomp_kill_write_high (SIGSYS at the trace's next line)
# and h17_seccomp_trap_getpid_term (a default SIGTERM became SIGSYS): t490, shim/filter.c.
# Known not SAME: h17_counts (the watchdog's thread and the trace's descriptor seen in /proc/self
# at exit: U8's differences 4 and 6).
cd "$(dirname "$0")" || exit 2
F="-O1 -g -Wall -Wno-unused-result"
gcc $F -o hostile17 hostile17.c -lpthread || exit 2
# seccomp filters of the program's that trap (SIGSYS to its handler), refuse or kill a call the shim makes too
for m in trap_getppid trap_write_high errno_write_high kill_write_high trap_clock errno_sigaction trap_sigaction \
	enosys_clone3 eperm_clone3 trap_openat errno_perf trap_getpid_term trap_rt_sigprocmask_exit trap_tgkill_abort; do
	./cmp.sh h17_seccomp_$m --crash -- ./hostile17 seccomp $m
done
./cmp.sh h17_seccomp_perf_watch --crash --shimenv TLSTRACE_WATCH=auto -- ./hostile17 seccomp errno_perf
# what /proc/self says at exit; every descriptor taken
./cmp.sh h17_counts -- ./hostile17 counts
./cmp.sh h17_fillfds -- sh -c './hostile17 fillfds out/h17_fillfds.txt; echo $?; cat out/h17_fillfds.txt'
./cmp.sh h17_fillfds_4096 -- sh -c 'ulimit -n 4096; ./hostile17 fillfds out/h17_fillfds4.txt; echo $?; cat out/h17_fillfds4.txt'
./cmp.sh h17_closerange -- sh -c 'rm -f out/h17_cr.txt; ./hostile17 closerange out/h17_cr.txt; echo $?; wc -c <out/h17_cr.txt'
# limits
./cmp.sh h17_rlimit_cpu --crash --timeout 30 -- ./hostile17 rlimit_cpu default
./cmp.sh h17_rlimit_cpu_handled --timeout 30 -- ./hostile17 rlimit_cpu handled
./cmp.sh h17_sigpending -- ./hostile17 sigpending
for k in fork spawn vfork clone3 thread; do for n in 3 40; do
	./cmp.sh h17_nproc_${k}_$n --filter 'sed -E s/[0-9]+.made/N.made/' -- ./hostile17 nproc $k $n
done; done
# children
for m in ign nocldwait; do ./cmp.sh h17_chld_$m -- ./hostile17 chld_ign $m; done
for m in usr1 alrm exit; do ./cmp.sh h17_fork_handler_$m -- ./hostile17 fork_handler $m; done
./cmp.sh h17_atfork -- ./hostile17 atfork
./cmp.sh h17_sigchld_reap -- ./hostile17 sigchld_reap
./cmp.sh h17_clone3_nosig -- ./hostile17 clone3_nosig
./cmp.sh h17_spawn_attrs -- ./hostile17 spawn_attrs
# profilers
for m in exit term thread; do ./cmp.sh h17_itimer_prof_$m -- ./hostile17 itimer_prof $m; done
./cmp.sh h17_timer_tid -- ./hostile17 timer_tid
# masks
./cmp.sh h17_sigsuspend_all -- ./hostile17 sigsuspend_all
for m in plain unblock_term; do ./cmp.sh h17_sigtimedwait_$m -- ./hostile17 sigtimedwait_all $m; done
for m in usr1 term; do ./cmp.sh h17_handler_unblock_$m -- ./hostile17 handler_unblock $m; done
./cmp.sh h17_regs -- ./hostile17 regs
for m in autodisarm term; do ./cmp.sh h17_autodisarm_$m -- ./hostile17 autodisarm $m; done
# exits and execs
for m in _exit exit quick; do ./cmp.sh h17_thread_exit_$m -- ./hostile17 thread_exit $m; done
for m in self script; do ./cmp.sh h17_execveat_$m -- ./hostile17 execveat $m; done
./cmp.sh h17_unshare -- ./hostile17 unshare
# python3
for m in forkserver spawn preexec preexec_fail setitimer_prof fh_register fh_register_chain pthread_kill_thread \
	sigmask_thread_exit recursion_segv excepthook_exit atexit_os_exit atexit_kill9 posix_spawn_sigdef nproc_subprocess; do
	./cmp.sh "h17_py_$m" --crash --filter "sed -E s/0x[0-9a-f]+|[0-9]{3,}//g" --timeout 40 -- /usr/bin/python3 hostile17.py $m
done
# uWSGI options rarely used
if command -v uwsgi >/dev/null; then
	for m in lazy_apps master_fifo reload_on_rss; do
		./cmp.sh h17_uwsgi_$m --nostderr --timeout 40 -- ./hostile17_uwsgi.sh $m
	done
fi
