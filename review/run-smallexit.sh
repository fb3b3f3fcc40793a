#!/bin/bash
# exit() where the stack is short, threads seen at exit (review/smallexit.cc)
cd "$(dirname "$0")" && g++ -O1 -g -Wall -o smallexit smallexit.cc -lpthread || exit 2
for k in 16 24 32; do for m in thread thrsig; do ./cmp.sh smallexit_${m}_$k --crash -- ./smallexit $m $k; done; done
for k in 0 1 2 4; do ./cmp.sh smallexit_sighand_$k --crash -- ./smallexit sighand $k; done
./cmp.sh smallexit_atexit_tasks -- ./smallexit atexit_tasks
./cmp.sh smallexit_atexit_unshare -- ./smallexit atexit_unshare
