#!/bin/bash
# t111: a thread that starts and ends cleanly is one thread_quiet line (issue 18), and nothing is
# lost that matters: the one thread with a finding keeps all its lines, in order, before the
# finding; forked processes write their own threads only, once; a thread still running when the
# process ends is written in full; a Python thread calling a C++ extension with a thread_local
# (registered without unwinding) is summed up too.
. "$(dirname "$0")/lib.sh"
build churn churn.cc -- -pthread
plain_and_traced churn "$BIN/churn" 500 late
[ "$(count_lines churn ' thread_quiet [0-9]+ churn\+0x[0-9a-f]+ [0-9]+ 2 2 1 return$')" = 499 ] ||
	fail "not 499 thread_quiet lines of 2 registrations, 2 TLS and 1 key destructor runs"
[ "$(count_lines churn ' thread_start ')" = 1 ] || fail "thread_start lines of routine threads were written"
late=$(awk '$4 == "tls_reg" && $NF == "dtors" { print $2 }' "$W/churn.norm")
[ -n "$late" ] || fail "no late registration"
pid=$(pids churn '^tlstrace$')
expect_order churn "$pid" "^$late . thread_start" "^$late . tls_reg .* -$" "^$late . tls_reg .* -$" "^$late . thread_exit return" \
	"^$late . tls_dtor " "^$late . tls_dtor " "^$late . tls_dtors_done" "^$late . key_dtor " "^$late . tls_reg .* dtors$" \
	"^$late . key_dtor_end"
"$REPORT" "$W/churn.trace" >"$W/churn.report" 2>&1
grep -q "499 threads ended cleanly, one line each in the trace (998 thread_locals registered, 998 TLS destructors and 499 key destructors run)" \
	"$W/churn.report" || { head "$W/churn.report"; fail "the report does not count the summed-up threads"; }
grep -q "construct-during-teardown" "$W/churn.report" || fail "the finding is missing"
size=$(stat -c %s "$W/churn.trace")
note "500 threads: $size bytes of trace"
[ "$size" -lt 60000 ] || fail "the trace has $size bytes for 500 threads"

# three processes (two forked before their threads): each writes its own 300, once (the last
# one, not yet found gone when exit() begins, in full)
traced forked "$BIN/churn" 300 - 3
[ $RC = 0 ] || fail "forked: exit $RC"
for p in $(pids forked '^tlstrace$|^forked$'); do
	n=$(grep -Ec "^$p [0-9]+ . thread_quiet " "$W/forked.norm")
	s=$(grep -Ec "^$p [0-9]+ . thread_start " "$W/forked.norm")
	[ $((n + s)) = 300 ] && [ "$s" -le 1 ] || fail "forked: process $p: $n thread_quiet and $s thread_start lines"
done
dup=$(awk '$4 == "thread_quiet" { print $2 }' "$W/forked.norm" | sort | uniq -d | head -3)
[ -z "$dup" ] || fail "forked: threads summed up twice: $dup"

# Python: 200 threads calling an extension with a thread_local; one still running at the end
EXT=$(build_pyext churnext churnext.cc)
cat >"$W/pychurn.py" <<'PY'
import sys, threading, time
sys.path.insert(0, sys.argv[1])
import churnext
for _ in range(200):
    t = threading.Thread(target=churnext.touch)
    t.start()
    t.join()
touched = threading.Event()
def stay():
    churnext.touch()
    touched.set()
    time.sleep(60)
threading.Thread(target=stay, daemon=True).start()
touched.wait(60)  # (its thread_local registered: not a fixed 0.2 s)
print("done")
PY
plain_and_traced pychurn $PY "$W/pychurn.py" "$EXT"
[ "$RC" = 0 ] || fail "pychurn: exit $RC"
# (Python's threads are detached: found gone by a probe every 64 thread creations; those not yet
# found when exit begins are written in full)
q=$(count_lines pychurn ' thread_quiet .* 1 1 0 return$') s=$(count_lines pychurn ' thread_start ')
note "pychurn: $q threads summed up, $s in full"
[ "$q" -ge 136 ] && [ $((q + s)) = 201 ] || fail "pychurn: $q Python threads summed up and $s in full, of 201"
stay=$(awk '$4 == "thread_start" { t = $2 } END { print t }' "$W/pychurn.norm")
[ -n "$stay" ] || fail "pychurn: the thread running at the end was not written"
expect_line pychurn "^[0-9]+ $stay I tls_reg .*_ZL3obj .* -$"
echo ok
