#!/bin/bash
# HOSTILE14's programs (stop 32), one line each. Known not SAME: hostile14_alt (uc_stack in handlers
# the kernel runs itself), hostile14_onstack_64k (SA_ONSTACK without a program signal stack),
# hostile14_onstack_32k (same status; the handler finds itself off the main stack), hostile14
# stackuse and nofile (which prints the same numbers: a few hundred bytes more per interposed call).
cd "$(dirname "$0")" || exit 2
F="-O1 -g -Wall -Wno-unused-result -Wno-uninitialized -Wno-maybe-uninitialized"
gcc $F -o hostile14 hostile14.c -lpthread -ldl && gcc $F -o hostile14_uc hostile14_uc.c -lpthread &&
	gcc $F -o hostile14_alt hostile14_alt.c && gcc -O0 -DSZ=65536 -o hostile14_onstack_64k hostile14_onstack.c &&
	gcc -O0 -DSZ=32768 -o hostile14_onstack_32k hostile14_onstack.c && gcc $F -o hostile14_misc hostile14_misc.c -lrt -lpthread || exit 2
for m in reinstall altstack cancel clone nofile mainexit suspend_dfl suspend_h forkhandler stackuse; do
	./cmp.sh h14_$m --timeout 60 -- ./hostile14 $m
done
./cmp.sh h14_jumps --filter sort -- ./hostile14 jumps
for m in ucstack ucedit reraise_term reraise_abrt termjump; do ./cmp.sh h14_uc_$m --crash --timeout 30 -- ./hostile14_uc $m; done
for m in wakeup faulthandler sigmask spawn forkthreads sigint; do ./cmp.sh h14_py_$m --timeout 30 -- /usr/bin/python3 hostile14.py $m; done
for m in timer rawsigaction nocldwait subreaper; do ./cmp.sh h14_misc_$m --timeout 20 -- ./hostile14_misc $m; done
./cmp.sh h14_alt -- ./hostile14_alt
./cmp.sh h14_onstack_32k --crash -- ./hostile14_onstack_32k
./cmp.sh h14_onstack_64k --crash -- ./hostile14_onstack_64k
