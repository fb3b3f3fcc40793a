#!/bin/bash
# kind 06: descriptors (review/fds.c)
cd "$(dirname "$0")" && gcc -O1 -g -Wall -Wno-unused-function -o fds fds.c -lpthread || exit 2
for m in list assert3 close_range closefrom close_trace_exec; do ./cmp.sh fds_$m --crash -- ./fds $m; done
./cmp.sh fds_py_listdir -- /usr/bin/python3 -c 'import os; print(sorted(int(x) for x in os.listdir("/proc/self/fd")))'
