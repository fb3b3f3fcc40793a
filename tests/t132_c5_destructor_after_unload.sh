#!/bin/bash
# t132: field case c5 (tests/cases/c5_dlclose_pending_key_dtor): a library's pthread key
# destructor is called after the host dlclose'd the library (dlopen'ed by a relative path):
# SIGSEGV, with and without the shim. The report has a destructor-after-unload finding naming
# key 0's destructor client_thread_exit in libclient.so (symbolized from the file, though it was
# no longer mapped), the dlclose and its caller (main in host), the time since, that the library
# created the key and never deleted it, and the fix; the crash is caused by it; the module's
# path in the trace is absolute. The timeline and the crash's header name the destructor (in the
# unloaded library) as frame #0 does, not by its bare address.
. "$(dirname "$0")/lib.sh"
field_case c5 c5_dlclose_pending_key_dtor
f=$F
field_outcome "killed by SIGSEGV" "killed by SIGSEGV"
grep -Eq " mod [0-9]+ 0x[0-9a-f]+ 0 [0-9a-f]+ /.*/libclient.so$" "$W/c5/trace.log" || fail "libclient.so's path is not absolute"
grep -Eq "^\[[0-9]+\] error destructor-after-unload " "$f" || { cat "$f"; fail "no destructor-after-unload finding"; }
grep -Eq "the destructor of pthread key 0, client_thread_exit\+0x0 \(libclient.c:[0-9]+\) in libclient.so, was called on thread [0-9]+ [0-9.]+ ms after libclient.so was unloaded by dlclose\(0x[0-9a-f]+\) from main\+0x[0-9a-f]+ \(host.c:[0-9]+\) in host" "$f" ||
	fail "message: $(grep 'was unloaded' "$f" | head -1)"
grep -q "created by that library .* and never deleted" "$f" || fail "root cause"
# the destructor's address, in the unloaded library, is named wherever it is shown: the
# timeline's destructor and crash lines and the crash's header, as its frame #0 is
grep -Eq "pthread key 0 destructor client_thread_exit \(libclient.so, unloaded\), value 0x[0-9a-f]+, round 1" "$f" ||
	fail "timeline: $(grep 'pthread key 0 destructor' "$f")"
[ "$(grep -Ec "SIGSEGV \(SEGV_MAPERR\) at 0x[0-9a-f]+ in client_thread_exit\+0x0 \(libclient.c:[0-9]+\) in libclient.so \(unloaded\)$" "$f")" = 2 ] ||
	fail "the crash's place, in the timeline and the header: $(grep 'SIGSEGV (SEGV' "$f")"
grep -q "fix: .*pthread_key_delete.*RTLD_NODELETE.*-z nodelete" "$f" || fail "fix"
$PY - "$W/c5/report.json" <<'PYEOF' || fail "JSON"
import json, sys
f = json.load(open(sys.argv[1]))["findings"]
u = next(x for x in f if x["kind"] == "destructor-after-unload")
assert u["backtrace"][0]["function"] == "client_thread_exit", u["backtrace"]
crash = next(x for x in f if x["kind"] == "crash")
assert f[crash["caused_by"]]["kind"] == "destructor-after-unload", crash
assert crash["backtrace"][0]["function"] == "client_thread_exit", crash["backtrace"]
PYEOF
exit 0
