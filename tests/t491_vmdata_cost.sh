#!/bin/bash
# t491: what the shim's own mappings add to a process's VmData (the memory RLIMIT_DATA counts;
# RLIMIT_AS and mlockall(MCL_CURRENT) count it too): issue 14, "nothing taken from the program".
# Measured with awk reading its own /proc/self/status, with and without the shim: 1588 kB more
# before HOSTILE17 (the .lbss's 1060 KiB, the main thread's 512 KiB signal stack), 1008 kB after:
# the termination handler watcher's stack and TLS block (320 KiB, watchdog.c hw_map) and the
# pool of long lines' buffers (256 KiB, trace.c line_pool_map) mapped at their first use instead.
# The bound leaves room for small additions, not another such block.
. "$(dirname "$0")/lib.sh"
vmdata() { awk '$1 == "VmData:" { print $2 }' /proc/self/status; }
plain_kb=$(vmdata)
shim_kb=$(LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/v.trace vmdata)
[ -n "$plain_kb" ] && [ -n "$shim_kb" ] || fail "no VmData read ($plain_kb, $shim_kb)"
note "VmData: $plain_kb kB without the shim, $shim_kb kB with it: $((shim_kb - plain_kb)) kB more"
[ $((shim_kb - plain_kb)) -le 1100 ] || fail "the shim adds $((shim_kb - plain_kb)) kB of VmData (> 1100 kB)"
echo ok
