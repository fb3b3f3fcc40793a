#!/bin/bash
# t036: the remaining interposed paths, each on a real program: _exit, _Exit, quick_exit (with an
# at_quick_exit handler: not traced, see README), on_exit handlers (registration and run), a
# thread ending with pthread_exit, a module's TLS block first allocated on the main thread by an
# atexit handler after main returned (tls_late_alloc), and an embedding program's Py_AtExit
# function and Py_FinalizeEx (begin, the function's run, end with its return value); every one
# ends as without the shim.
. "$(dirname "$0")/lib.sh"
build exits exits.c -- -pthread -ldl
build late_plugin.so late_plugin.c -- -shared -fPIC
inc=$($PY -c 'import sysconfig; print(sysconfig.get_paths()["include"])')
build embed_atexit embed_atexit.c -- -I"$inc" -lpython3.11
check() { # NAME ARGS...: same outcome with and without the shim
	local name=$1
	shift
	plain "$name" "$@"; PLAIN_RC=$RC
	traced "$name" "$@"; TRACED_RC=$RC
	same_outcome "$name"
	MAIN=$(pids "$name" '^tlstrace$')
}
check _exit "$BIN/exits" _exit
[ $RC = 5 ] && expect_line _exit "^$MAIN $MAIN . _exit 5$" || fail "_exit"
expect_no_line _exit " exit_done$"
check _Exit "$BIN/exits" _Exit
[ $RC = 6 ] && expect_line _Exit "^$MAIN $MAIN . _exit 6$" || fail "_Exit"
check quick_exit "$BIN/exits" quick_exit
[ $RC = 7 ] && expect_line quick_exit "^$MAIN $MAIN . quick_exit 7$" || fail "quick_exit"
grep -q "quick handler" "$W/quick_exit.out" || fail "the at_quick_exit handler did not run"
check on_exit "$BIN/exits" on_exit
[ $RC = 8 ] || fail "on_exit: status $RC"
expect_order on_exit "$MAIN" "^$MAIN . atexit_reg ([0-9]+) on_exit exits\\+0x" "^$MAIN . main_return 8$" \
	"^$MAIN . atexit_run [0-9]+ exits\\+0x" "^$MAIN . atexit_end "
grep -q "^on_exit 8 arg$" "$W/on_exit.out" || fail "on_exit: the handler did not get status and argument"
check pthread_exit "$BIN/exits" pthread_exit
[ $RC = 9 ] || fail "pthread_exit: status $RC"
expect_line pthread_exit " (thread_exit|thread_quiet .*) pthread_exit$" # (a thread that ended cleanly: summed up)
check late "$BIN/exits" late "$BIN/late_plugin.so"
[ $RC = 10 ] || fail "late: status $RC"
expect_order late "$MAIN" "^$MAIN . main_return 10$" "^$MAIN . atexit_run [0-9]+ exits\\+0x" \
	"^$MAIN . tls_late_alloc [0-9]+ late_plugin\\.so\\+0x"
$REPORT "$W/late.trace" | grep -q "construct-during-teardown" || fail "late: no finding"
check embed "$BIN/embed_atexit"
[ $RC = 0 ] || fail "embed: status $RC"
expect_order embed "$MAIN" "^$MAIN I py_atexit_reg ([0-9]+) embed_atexit\\+0x" \
	"^$MAIN I py_fin Py_FinalizeEx$" "^$MAIN . py_atexit_run [0-9]+ embed_atexit\\+0x" \
	"^$MAIN . py_atexit_end [0-9]+$" "^$MAIN D py_fin_end Py_FinalizeEx 0$"
