#!/bin/bash
# t142: field case s3 (tests/cases/s3_modwsgi_signal_ignored), embedded (prefork) and daemon
# mode: the app's signal.signal(SIGTERM, ...) is ignored by mod_wsgi (WSGIRestrictSignal On); the
# shim sees mod_wsgi's log call for it (its ap_log_error_ slot) and the SIGTERM's arrival. The
# report: a signal-handler finding that the app's SIGTERM handler was never installed (ignored by
# mod_wsgi), that the SIGTERM from the Apache parent (its pid) was taken by the host's own handler
# (named with its module once),
# and (embedded) that the process finalized Python and exited through it. Outcomes unchanged.
# The finding's time is the ignored registration's line in the timeline.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || skip "needs root (Apache's User www-data)"
[ -x /usr/sbin/apache2 ] && [ -f /usr/lib/apache2/modules/mod_wsgi.so ] || skip "apache2 and mod_wsgi not installed"
C=$ROOT/tests/cases/s3_modwsgi_signal_ignored
for mode in embedded daemon; do
	"$C/run" "$ROOT" "$W/$mode" "$mode" >"$W/$mode.txt" 2>&1 || { cat "$W/$mode.txt"; fail "$mode: run failed"; }
	f=$W/$mode.txt
	grep -q "^without the shim: Apache exit status 0.*app's SIGTERM handler ran: no" "$f" || fail "$mode plain: $(grep '^without' "$f")"
	grep -q "^with the shim: *Apache exit status 0.*app's SIGTERM handler ran: no" "$f" || fail "$mode traced: $(grep '^with the' "$f")"
	parent=$(sed -n 's/^with the shim: .*Apache parent \([0-9]*\),.*/\1/p' "$f")
	grep -Eq " sig_ignored 15 mod_wsgi$" "$W/$mode/trace.log" || fail "$mode: no sig_ignored line"
	msg=$(grep -A1 "warning signal-handler" "$f" | grep "never installed")
	[ -n "$msg" ] || { cat "$f"; fail "$mode: no finding"; }
	grep -q "the application's SIGTERM handler was never installed: mod_wsgi ignored its registration" <<<"$msg" || fail "$mode: $msg"
	# (the handler named with its module once: "mod_mpm_prefork.so+0x3e70" where Debian ships no
	# symbols, "name (mod_wsgi.so)" where they are read; before: "mod_mpm_prefork.so+0x3e70
	# (mod_mpm_prefork.so)", FRESH10b)
	grep -Eq "the SIGTERM from process $parent \\(apache2, its parent\\) was taken by ((mod_mpm_prefork|mod_wsgi)\\.so\\+0x[0-9a-f]+( \\((mod_mpm_prefork|mod_wsgi)\\.so is stripped\\))?|[^ ]+ \\((mod_mpm_prefork|mod_wsgi)\\.so\\)), the host's own handler" <<<"$msg" ||
		fail "$mode: sender/handler: $msg"
	! grep -Eq "taken by [^ ]*\\.so\\+0x[0-9a-f]+ \\([^)]*\\.so\\)" <<<"$msg" || fail "$mode: the handler's module named twice: $msg"
	grep -q "WSGIRestrictSignal" "$f" || fail "$mode: root cause"
	# the finding's time is a line of its process's timeline: the ignored registration, shown
	# (FRESH17b item 8: "+0.000 ms in its timeline" where the timeline began at +1215.716 ms)
	hdr=$(grep -m1 "warning signal-handler  process" "$f")
	fpid=$(sed 's/.* process \([0-9]*\) .*/\1/' <<<"$hdr")
	ft=$(sed 's/.* at \([-+0-9.]*\) ms in its timeline.*/\1/' <<<"$hdr")
	sed -n "/^process $fpid /,/^$/p" "$f" | grep -Eq "^ *\\${ft} ms +[0-9]+ +!! mod_wsgi ignored the application's registration of a SIGTERM handler" ||
		fail "$mode: the finding at $ft ms is no line of process $fpid's timeline: $(sed -n "/^process $fpid /,/^$/p" "$f" | head -5)"
done
# daemon mode: the process hung in Py_EndInterpreter and its parent killed it; the signal-handler
# finding says so, not "how the process ended after it is its outcome, in the process's header"
# (FRESH17b item 8)
grep -A1 "warning signal-handler" "$W/daemon.txt" | grep -q "; the process did not end through it: it was killed later by SIGKILL (its other findings say where it was)" ||
	fail "daemon: how it ended: $(grep -A1 'warning signal-handler' "$W/daemon.txt")"
! grep -q "its outcome, in the process's header" "$W/daemon.txt" || fail "daemon: pointed at the header"
# the app starts no thread: a daemon-mode stall in Py_EndInterpreter (mod_wsgi's, h5's README) must
# not blame a thread or advise a daemon thread
! grep -q "its thread is still running" "$W/daemon.txt" || fail "daemon: a thread blamed: $(grep 'its thread is still running' "$W/daemon.txt")"
! grep -q "daemon=True" "$W/daemon.txt" || fail "daemon: daemon-thread advice"
grep -A1 "warning signal-handler" "$W/embedded.txt" | grep -Eq "which finalized Python and ended the process: exit\\(0\\) [0-9.]+ s after the signal \\(the process ended through that signal" ||
	fail "embedded: how it ended: $(grep -A1 'warning signal-handler' "$W/embedded.txt")"
# Apache prefork's parent signals its group, then the child, 3 ms apart: the child took the first
# SIGTERM; the second, which the host's handler then ignores, is not a stop that "never arrived"
# (the lead's check after HANG16's group kills)
! grep -q "never arrived" "$W/embedded.txt" || fail "embedded: $(grep -m1 'never arrived' "$W/embedded.txt")"
exit 0
