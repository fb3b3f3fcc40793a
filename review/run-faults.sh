#!/bin/bash
# kinds 01/02/03: handled faults (review/faults.c); one line per program
cd "$(dirname "$0")" && gcc -O1 -g -Wall -Wno-unused-function -o faults faults.c -lpthread || exit 2
for m in "ljmp 1000" "nodefer 200" "threads_ljmp 500" "gc 5000" bus_fix \
	 "bigalt 256" "bigmain 256" "bigthr 256" "bigmain 1024" abort_handled "atexit_ljmp 500" "atexit_gc 500" "keydtor_gc 500"; do
	set -- $m; ./cmp.sh faults_${1}_${2:-} -- ./faults $m
done
for m in resethand resethand_nodefer default_segv; do ./cmp.sh faults_$m --crash -- ./faults $m; done
