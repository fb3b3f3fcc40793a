#!/bin/bash
# review/atk10/run.sh: every ATK10 program without and with the shim (../cmp.sh), one line each.
cd "$(dirname "$0")" || exit 2
C=../cmp.sh
A=$PWD/atk
c() { "$C" "$@" | grep -v '^  '; }
gcc -O1 -g -Wall -pthread -o atk atk.c 2>/dev/null && gcc -O1 -o execv0 execv0.c && gcc -O1 -o order order.c ||
	{ echo "cannot build atk"; exit 2; }
for m in fault_mt resethand_nodefer signal_fn altstack_read nofile countfds dup2_all rlimits core setuid chroot dumpable unshare clone_vm spawn_fa environ tty; do
	c a10_$m --crash -- "$A" $m
done
for sz in 2048 4096 8192 65536; do c a10_gc_altstack_$sz -- "$A" gc_altstack $sz; done
for h in _exit exit quick thread abort return; do c a10_buffer_$h --crash -- "$A" buffer $h; done
# limits and descriptors set from outside, before the shim's constructor
for n in 3 4 5 8 20; do c a10_ulimit_n$n -- bash -c "ulimit -n $n; exec $A firstfd"; done
c a10_ulimit_n4_hard -- bash -c "ulimit -Hn 4; exec $A firstfd"
c a10_closed_012 -- bash -c "rm -f /tmp/atk10_firstfd.out; $A firstfd <&- >&- 2>&-; cat /tmp/atk10_firstfd.out; rm -f /tmp/atk10_firstfd.out"
c a10_closed_12 -- bash -c "rm -f /tmp/atk10_firstfd.out; $A firstfd >&- 2>&-; cat /tmp/atk10_firstfd.out; rm -f /tmp/atk10_firstfd.out"
c a10_closed_1 -- bash -c "exec $A write_status >&-"
c a10_closed_1_cnt -- bash -c "exec $A countfds >&-"
c a10_closed_0 -- bash -c "exec $A firstfd <&-"
c a10_devfull -- bash -c "exec $A write_status >/dev/full"
c a10_sigpipe -- bash -c "$A fault_mt | head -c 1; echo \" \${PIPESTATUS[0]}\""
c a10_sigpipe_ws -- /usr/bin/python3 -c "import os, subprocess, sys; r, w = os.pipe(); os.close(r); p = subprocess.run([\"$A\", \"write_status\"], stdout=w, stderr=subprocess.PIPE, restore_signals=True); print(p.returncode, p.stderr)"
c a10_sigpipe_ign -- /usr/bin/python3 -c "import os, subprocess, sys; r, w = os.pipe(); os.close(r); p = subprocess.run([\"$A\", \"write_status\"], stdout=w, stderr=subprocess.PIPE, restore_signals=False); print(p.returncode, p.stderr)"
c a10_nostdin_tty -- bash -c "setsid $A tty </dev/null"
for v in 6000 10000 20000 40000; do c a10_ulimit_v$v -- bash -c "ulimit -v $v; exec $A rlimits"; done
for s in 8 16 24 32; do c a10_ulimit_s$s --crash -- setarch -R bash -c "ulimit -s $s; exec $A stack $((s-4))"; done
c a10_ulimit_c0 --crash -- bash -c "ulimit -c 0; exec $A core"
c a10_ulimit_u -- bash -c "ulimit -u 1; exec $A rlimits"
c a10_exec_a -- bash -c "exec -a weird-name $A environ"
c a10_exec_a_rel -- bash -c "cd /tmp && exec -a ./rel $A environ"
c a10_empty_argv0 -- $PWD/execv0 $A
# exec and children, allocators, runtimes
gcc -O1 -pthread -o kids kids.c && gcc -static -O1 -o static static.c && gcc -O1 -pthread -o alloc alloc.c || exit 2
c a10_kids_static -- "$PWD/kids" "$PWD/static"
c a10_long_argv -- /usr/bin/python3 -c "
import os, sys, subprocess
n = (os.sysconf('SC_ARG_MAX') // 4) - sum(len(k) + len(v) + 2 for k, v in os.environ.items()) - 4096
args = ['$A', 'environ'] + ['x' * 1000] * (n // 1001)
r = subprocess.run(args, capture_output=True); print(len(args), r.returncode, len(r.stdout))"
J=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2 T=/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4 TP=/usr/lib/x86_64-linux-gnu/libtcmalloc.so.4 M=/usr/lib/x86_64-linux-gnu/libmimalloc.so.2
for lib in $J $T $TP $M; do
	b=$(basename $lib .so.2); b=${b%.so.4}
	c a10_alloc_${b}_pre --pre $lib -- "$PWD/alloc"
	c a10_alloc_${b}_post --post $lib -- "$PWD/alloc"
	c a10_kids_${b}_pre --pre $lib -- "$PWD/kids" "$PWD/static"
	c a10_py_forkserver_${b} --pre $lib -- /usr/bin/python3 py.py forkserver
done
for m in spawn forkserver fork ppe posix_spawn state sigterm_self; do c a10_py_$m -- /usr/bin/python3 py.py $m; done
c a10_py_faulthandler --crash -- /usr/bin/python3 py.py faulthandler
rustc -O -o rs rs.rs 2>/dev/null && rustc -O -C panic=abort -o rs_abort rs.rs 2>/dev/null
for m in exit panic abort ret; do c a10_rs_$m -- "$PWD/rs" $m; c a10_rsabort_$m -- "$PWD/rs_abort" $m; done
# sanitizers and checkers
for s in thread memory undefined address; do clang -O1 -g -fsanitize=$s -pthread -o san_$s san.c 2>/dev/null; done
gcc -O1 -g -pthread -o san_plain san.c
for s in thread memory undefined address; do
	c a10_san_${s} -- "$PWD/san_$s"; c a10_san_${s}_bad -- "$PWD/san_$s" bad; c a10_san_${s}_pexit -- "$PWD/san_$s" a b
done
for tool in memcheck helgrind drd; do
	c a10_vg_$tool --timeout 120 -- valgrind -q --tool=$tool --error-exitcode=99 --trace-children=yes "$PWD/san_plain"
	c a10_vg_${tool}_pexit --timeout 120 -- valgrind -q --tool=$tool --error-exitcode=99 "$PWD/san_plain" a b
done
c a10_vg_memcheck_bad --timeout 120 -- valgrind -q --error-exitcode=99 "$PWD/san_plain" bad
# the wrapper: status and stdout as without it
w() {
	local n=$1; shift
	local o0 o1 s0 s1
	o0=$(timeout -s KILL 60 "$@" 2>/dev/null); s0=$?
	o1=$(timeout -s KILL 60 ../../tlstrace -- "$@" 2>/dev/null); s1=$?
	if [ "$s0" = "$s1" ] && [ "$o0" = "$o1" ]; then echo "$n SAME (exit $s0)"; else echo "$n DIFFERENT: status $s0 -> $s1, stdout $( [ "$o0" = "$o1" ] && echo same || echo differs)"; fi
}
w a10_wrap_fault_mt_sorted bash -c "$A fault_mt | sort"
w a10_wrap_resethand "$A" resethand_nodefer
w a10_wrap_kids "$PWD/kids" "$PWD/static"
w a10_wrap_rs_panic "$PWD/rs" panic
w a10_wrap_py_forkserver /usr/bin/python3 py.py forkserver
w a10_wrap_closed_stdout bash -c "$A write_status >&-; echo \$?"
w a10_wrap_exec_a bash -c "exec -a foo $A environ"
w a10_wrap_buffer_exit "$A" buffer exit
w a10_wrap_san_thread "$PWD/san_thread"
w a10_wrap_ulimit_n4 bash -c "ulimit -n 4; exec $A firstfd"
# errors as the program reads them, jumps, children's signals, malloc's own numbers, another user
gcc -O1 -w -pthread -o errs errs.c -ldl && c a10_errs -- "$PWD/errs"
gcc -O2 -w -D_FORTIFY_SOURCE=2 -o jmps jmps.c && for a in none own; do c a10_jmps_$a --crash -- "$PWD/jmps" $a; done
gcc -O1 -pthread -o chld chld.c && for m in ign reaper exit2; do c a10_chld_$m -- "$PWD/chld" $m; done
for n in 1 2 3; do c a10_chld_nproc$n -- "$PWD/chld" nproc $n; done
c a10_chld_nproc2_hang0 --shimenv TLSTRACE_HANG_MS=0 -- "$PWD/chld" nproc 2
g++ -O1 -pthread -o heap heap.cc && c a10_heap -- "$PWD/heap"
S="setpriv --reuid=65534 --regid=65534 --clear-groups"
for n in 3 4 5 6; do c a10_nobody_n$n -- bash -c "ulimit -n $n; exec $S $A firstfd"; done
c a10_nobody_rl -- bash -c "ulimit -n 6; exec $S $A rlimits"
c a10_nobody_nofile -- $S "$A" nofile
gcc -O1 -o preinit preinit.c && c a10_preinit -- "$PWD/preinit"
gcc -O1 -o inherit inherit.c && gcc -O1 -o launch launch.c
for md in ign blk; do for f in none segv fpe term; do c a10_inherit_${md}_$f --crash -- "$PWD/launch" $md "$PWD/inherit" $f; done; done
for st in 0 256 300 77; do for how in exit return quick; do c a10_order_${st}_$how -- "$PWD/order" $st $how; done; done
gcc -O1 -o ucontext ucontext.c && for m in exit return _exit; do c a10_ucontext_$m -- "$PWD/ucontext" $m; done
gcc -O1 -o skip skip.c && c a10_skip -- "$PWD/skip"
