#!/bin/bash
# microseconds per handled fault (GC write barrier, 20000 pages), median of the per-fault times,
# 5 runs each without and with the shim; and wall time of siglongjmp out of 20000 faults
cd "$(dirname "$0")"
for i in 1 2 3 4 5; do rm -f /tmp/u8trace.t.log
	echo "without: $(U8_TIME=1 ./faults gc 20000 2>&1 >/dev/null)"
	echo "with:    $(U8_TIME=1 TLSTRACE_FILE=/tmp/u8trace.t.log LD_PRELOAD=$PWD/../libtlstrace.so ./faults gc 20000 2>&1 >/dev/null)"
done
for m in 0 1; do
	for i in 1 2 3; do
		s=$(date +%s%N)
		if [ $m = 1 ]; then TLSTRACE_FILE=/tmp/u8trace.t.log LD_PRELOAD=$PWD/../libtlstrace.so ./faults ljmp 20000 >/dev/null; else ./faults ljmp 20000 >/dev/null; fi
		e=$(date +%s%N); echo "ljmp 20000 shim=$m: $(( (e-s)/20000 )) ns per fault (wall/20000)"
	done
done
rm -f /tmp/u8trace.t.log
