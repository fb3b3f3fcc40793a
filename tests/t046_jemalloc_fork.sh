#!/bin/bash
# t046: reliability case 04 (tests/cases/reliability/04_jemalloc_fork_hang): with jemalloc
# preloaded, before or after the shim, fork() in C and python3's os.fork end as without the shim
# (they hung when the shim dlopen'ed libunwind from inside jemalloc's first pthread_key_create,
# jemalloc holding its init lock). The case installs libjemalloc2 if missing.
. "$(dirname "$0")/lib.sh"
reliability_case 04_jemalloc_fork_hang
# the traces show the runs with the shim were traced, the registration inside jemalloc included
for t in c_jemalloc_first c_shim_first; do
	grep -q " key_create " "$W/case-04_jemalloc_fork_hang/$t.trace" || fail "$t: no key_create line (jemalloc's key) in the trace"
done
echo ok
