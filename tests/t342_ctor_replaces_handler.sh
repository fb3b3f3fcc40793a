#!/bin/bash
# t342: a plugin's constructor, run inside the server's dlopen, replaces the server's SIGTERM
# handler (tests/src/ctor_sigterm_host.c, ctor_sigterm_plug.c); the shim writes the new handler
# and its caller as absolute addresses (the plugin's module line comes after its constructor).
# The signal-handler finding names them in the plugin ("replaced by plug_term
# (libctor_sigterm_plug.so), installed from plug_init+0x... (ctor_sigterm_plug.c:N) in
# libctor_sigterm_plug.so") and says which handler the SIGTERM then ran ("ran plug_term, not
# server_term"); so does the timeline. Before (ATK11): "replaced by 0x7f..., installed from
# 0x7f...", and the arrival not tied to the finding (its token named the handler by module).
. "$(dirname "$0")/lib.sh"
build ctor_sigterm_host ctor_sigterm_host.c -- -O1 -ldl
build libctor_sigterm_plug.so ctor_sigterm_plug.c -- -O1 -shared -fPIC
plain_and_traced host "$BIN/ctor_sigterm_host" "$BIN/libctor_sigterm_plug.so"
[ $RC = 3 ] || fail "status $RC"
"$REPORT" --color=never "$W/host.trace" >"$W/host.txt" 2>&1
P=libctor_sigterm_plug.so
grep -Eq "signal-handler: the SIGTERM handler server_term \(ctor_sigterm_host\), installed from main\+0x[0-9a-f]+ \(ctor_sigterm_host\.c:[0-9]+\) in ctor_sigterm_host was replaced by plug_term \($P\), installed from plug_init\+0x[0-9a-f]+ \(ctor_sigterm_plug\.c:[0-9]+\) in $P, on thread [0-9]+; the SIGTERM from the process itself, on thread [0-9]+, ran plug_term, not server_term" "$W/host.txt" ||
	fail "$(grep -A3 'signal-handler' "$W/host.txt" | head -5)"
grep -Eq "root cause: $P installed its own SIGTERM handler over the one ctor_sigterm_host had installed" "$W/host.txt" ||
	fail "$(grep 'root cause' "$W/host.txt")"
grep -Eq "SIGTERM handler plug_term \($P\) installed \(sigaction\) from plug_init\+0x[0-9a-f]+ \(ctor_sigterm_plug\.c:[0-9]+\) in $P$" "$W/host.txt" ||
	fail "timeline: $(grep 'handler .* installed' "$W/host.txt")"
exit 0
