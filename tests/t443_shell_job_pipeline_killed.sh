#!/bin/bash
# t443: a shell job's pipeline is one process group, led by its first process: bash with job
# control (set -m) runs `atexit_sleep | atexit_sleep &`, both hung in an atexit handler, and stops
# the job with `kill -KILL %1`, a kill of the group (HANG16 1). The second process is a member that
# does not lead the group (bash's setpgid of each child, and the exec'd program's start line, say
# so): its killed finding names bash and its call, as the leader's does (before: "sent by a
# process the traces do not cover"). No process of the run is left.
. "$(dirname "$0")/lib.sh"
build atexit_sleep atexit_sleep.c
mkdir -p "$W" && cd "$W"
cat >job.sh <<SH
set -m
$BIN/atexit_sleep | $BIN/atexit_sleep >second.out &
# (both in their atexit handler: each wrote its atexit_run line)
i=0; while [ \$(grep -c ' atexit_run ' $W/j.trace) -lt 2 ] && [ \$i -lt 200 ]; do sleep 0.05; i=\$((i + 1)); done
jobs -p >leader
kill -KILL %1
wait
SH
rm -f j.trace
setsid timeout -s KILL 30 env LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/j.trace /bin/bash job.sh </dev/null >j.out 2>&1
"$REPORT" --color=never j.trace >j.txt 2>&1
kids=$(awk '$5 == "tlstrace" && $8 ~ /atexit_sleep$/ { print $1 }' j.trace | sort -u)
[ "$(echo $kids | wc -w)" = 2 ] || fail "the pipeline's processes: $kids: $(cat j.out)"
leader=$(cat leader)
member=$(echo $kids | tr ' ' '\n' | grep -vx "$leader")
[ -n "$member" ] && [ "$member" != "$kids" ] || fail "leader $leader of $kids"
grep -Eq "^$member $member [0-9]+ . pgrp $member $leader [0-9]+ start\$" j.trace || fail "the member's start line: $(grep " pgrp $member " j.trace)"
for k in $leader $member; do
	f=$(grep -m1 "^    process $k (atexit_sleep) was killed by SIGKILL" j.txt)
	echo "$f" | grep -Eq "sent by process [0-9]+ \(bash, its parent\) with (kill|killpg)\(\)" || fail "process $k: $f"
done
! grep -q "traces do not cover" j.txt || fail "a sender not found: $(grep -m1 'traces do not cover' j.txt)"
for k in $kids; do ! kill -0 $k 2>/dev/null || fail "process $k left running"; done
echo ok
