#!/bin/bash
# t003: pthread keys: creation and deletion, each per-thread destructor run with its key and value
# (begin/end) after the thread's TLS destructors, glibc's second round when a destructor sets its
# value again (itself a key_late set), a getspecific on a key whose destructor already ran on that
# thread (key_late get); the program's key numbers, and its destructors' runs and order, are the
# same as without the shim (the shim creates no key of its own).
. "$(dirname "$0")/lib.sh"
build keys keys.c -- -pthread
plain run "$BIN/keys"; PLAIN_RC=$RC
traced run "$BIN/keys"; TRACED_RC=$RC
same_outcome run

main=$(pids run '^tlstrace$')
read -r k1 k2 k3 < <(awk '$1 == "keys" { print $2, $3, $4 }' "$W/run.out")
k4=$(awk -v m="$main" '$4 == "key_create" { n++; if (n == 4) print $5 }' "$W/run.norm")
tid=$(awk -v m="$main" '$1 == m && $4 == "thread_start" { print $2 }' "$W/run.norm")
expect_order run "$main" \
	"^$main . key_create $k1 keys\\+0x" "^$main . key_create $k2 " "^$main . key_create $k3 " \
	"^$main . key_create $k4 " "^$main . key_delete $k4$" \
	"^$tid . thread_exit return$" \
	"^$tid . tls_dtors_done$" \
	"^$tid . key_dtor $k1 0x1 keys\\+0x[0-9a-f]+ 1$" "^$tid . key_dtor_end $k1$" \
	"^$tid . key_dtor $k2 0x2 keys\\+0x[0-9a-f]+ 1$" "^$tid . key_late $k2 set 0x16 " "^$tid . key_dtor_end $k2$" \
	"^$tid . key_dtor $k3 0x3 keys\\+0x[0-9a-f]+ 1$" \
	"^$tid . key_late $k1 get 0x0 keys\\+0x" \
	"^$tid . key_dtor_end $k3$" \
	"^$tid . key_dtor $k2 0x16 keys\\+0x[0-9a-f]+ 2$" "^$tid . key_dtor_end $k2$"
[ "$(count_lines run " key_dtor $k2 ")" = 2 ] || fail "key2's destructor should run twice"
expect_no_line run " key_dtor $k4 "
