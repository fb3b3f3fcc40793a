#!/bin/bash
# the core's top frames for a default-action SIGSEGV and SIGFPE (no handler), without and with
# the shim (core_pattern must be a plain name; run as root in a scratch directory)
R=$(cd "$(dirname "$0")" && pwd)
d=$(mktemp -d /tmp/u8core.XXXXXX); cd "$d" || exit 2
ulimit -c unlimited
for m in 0 1; do
	rm -f core*
	if [ $m = 1 ]; then TLSTRACE_FILE=$d/t.log LD_PRELOAD=$R/../libtlstrace.so $R/faults default_segv >/dev/null 2>&1
	else $R/faults default_segv >/dev/null 2>&1; fi
	c=$(ls core* 2>/dev/null | head -1)
	if [ -z "$c" ]; then echo "core-frames shim=$m: no core"; continue; fi
	echo "core-frames shim=$m: $(gdb -batch -ex 'bt 3' -ex 'p $_siginfo.si_code' $R/faults "$c" 2>/dev/null | grep -E '^#|^\$1' | tr -s ' ' | cut -c1-90 | tr '\n' '|')"
done
cd /; rm -rf "$d"
