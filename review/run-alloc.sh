#!/bin/bash
# kind 04: allocators preloaded before and after the shim (review/alloc.c, alloc.py)
cd "$(dirname "$0")" && gcc -O1 -g -Wall -o alloc alloc.c -lpthread || exit 2
L=/usr/lib/x86_64-linux-gnu
for a in jemalloc:$L/libjemalloc.so.2 tcmalloc_minimal:$L/libtcmalloc_minimal.so.4 tcmalloc:$L/libtcmalloc.so.4 mimalloc:$L/libmimalloc.so.2; do
	n=${a%%:*} lib=${a#*:}
	for o in pre post; do
		for m in fork_threads fork_exit fork_fork spawn system; do
			./cmp.sh alloc_${n}_${o}_c_$m --timeout 20 --$o $lib -- ./alloc $m
		done
		for m in fork_threads fork_sysexit subprocess mp; do
			./cmp.sh alloc_${n}_${o}_py_$m --timeout 20 --$o $lib -- /usr/bin/python3 alloc.py $m
		done
	done
done
