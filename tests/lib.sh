# tests/lib.sh - helpers for the numbered test cases (tests/tNNN_*.sh), sourced by each.
# A case exits 0 (pass), 77 (skip) or anything else (fail), printing why on failure.
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SHIM=$ROOT/libtlstrace.so
REPORT=$ROOT/tlstrace-report
if [ "${TEST_INSTALLED:-0}" = 1 ]; then   # the installed Debian package's files (tests/chroot)
	SHIM=$(dpkg -L tlstrace 2>/dev/null | grep '/libtlstrace\.so$')
	REPORT=/usr/bin/tlstrace-report
	[ -e "$SHIM" ] && [ -x "$REPORT" ] || { echo "FAIL: TEST_INSTALLED=1 but the tlstrace package is not installed"; exit 1; }
fi
PY=/usr/bin/python3
CASE=$(basename "$0" .sh)
W=$ROOT/tests/out/$CASE          # this case's scratch directory
BIN=$ROOT/tests/out/bin          # test programs, shared by the cases
APACHE_DIRS=()                   # apache_run's directories, removed at exit
rm -rf "$W"
mkdir -p "$W" "$BIN"

fail() { echo "FAIL: $*"; exit 1; }
skip() { echo "SKIP: $*"; exit 77; }
note() { echo "# $*"; }

# build OUT SRC... [-- FLAGS...]: compile C or C++ unless OUT is newer than its sources.
build() {
	local out=$BIN/$1 srcs=() flags=() cc=gcc seen=0 s
	shift
	for s in "$@"; do
		if [ "$s" = -- ]; then seen=1; continue; fi
		if [ $seen = 1 ]; then flags+=("$s"); else srcs+=("$ROOT/tests/src/$s"); fi
	done
	case "${srcs[0]}" in *.cc) cc=g++ ;; esac
	local newer=0
	for s in "${srcs[@]}"; do [ "$s" -nt "$out" ] && newer=1; done
	[ -e "$out" ] && [ $newer = 0 ] && return 0
	$cc -g -O2 -Wall -o "$out.tmp" "${srcs[@]}" "${flags[@]}" && mv "$out.tmp" "$out" || fail "cannot build $out"
}

# build_pyext NAME SRC: a CPython extension module for Debian's python3, into $BIN/pyext/
build_pyext() {
	local dir=$BIN/pyext out
	mkdir -p "$dir"
	out=$dir/$1$($PY -c 'import sysconfig; print(sysconfig.get_config_var("EXT_SUFFIX"))')
	if [ ! -e "$out" ] || [ "$ROOT/tests/src/$2" -nt "$out" ]; then
		g++ -g -O2 -Wall -fPIC -shared -I"$($PY -c 'import sysconfig; print(sysconfig.get_paths()["include"])')" \
			-o "$out.tmp" "$ROOT/tests/src/$2" && mv "$out.tmp" "$out" || fail "cannot build $out"
	fi
	echo "$dir"
}

# traced NAME CMD...: run CMD under the shim; sets RC; writes $W/NAME.trace (the trace),
# NAME.norm (normalized), NAME.out and NAME.err (its output)
traced() {
	local name=$1 t=$W/$1
	shift
	rm -f "$t.trace"
	LD_PRELOAD=$SHIM TLSTRACE_FILE=$t.trace "$@" >"$t.out" 2>"$t.err"
	RC=$?
	[ -s "$t.trace" ] || fail "no trace written by: $*"
	normalize "$name"
}

# normalize NAME: (re)make $W/NAME.norm from $W/NAME.trace
normalize() { awk -f "$ROOT/tests/lib/normalize.awk" "$W/$1.trace" >"$W/$1.norm"; }

# plain NAME CMD...: the same without the shim; sets RC, output in $W/NAME.plain.out/.err
plain() {
	local t=$W/$1
	shift
	"$@" >"$t.plain.out" 2>"$t.plain.err"
	RC=$?
}

# plain_and_traced NAME CMD...: CMD without and with the shim; same_outcome; RC is the traced one's
plain_and_traced() {
	local name=$1
	shift
	plain "$name" "$@"; PLAIN_RC=$RC
	traced "$name" "$@"; TRACED_RC=$RC
	same_outcome "$name"
}

# pids NAME EVENT-REGEX: the pids that wrote a matching line
pids() { awk -v re="$2" '$4 ~ re { print $1 }' "$W/$1.norm" | sort -un; }

# expect_order NAME PID REGEX...: lines of process PID (any thread) match the regexes in this
# order (each regex is matched against "TID PY EVENT FIELDS"; later lines may intervene).
expect_order() {
	local norm=$W/$1.norm pid=$2
	shift 2
	awk -v pid="$pid" -v n=$# '
		BEGIN { for (i = 1; i <= n; i++) re[i] = ARGV[i + 1]; ARGC = 2; k = 1 }
		$1 == pid && k <= n { line = $0; sub(/^[0-9]+ /, "", line); if (line ~ re[k]) { hit[k] = line; k++ } }
		END {
			if (k > n) exit 0
			printf "pid %s: expected, in order:\n", pid
			for (i = 1; i <= n; i++) printf "  %s %s\n", (i < k ? "ok " : i == k ? "-> " : "   "), re[i]
			if (k > 1) printf "last match: %s\n", hit[k - 1]
			exit 1
		}' "$norm" "$@" || { echo "--- events of $pid:"; awk -v pid="$pid" '$1 == pid' "$norm" | grep -v " mod \| atexit_reg " | head -80; fail "order"; }
}

# expect_line NAME REGEX / expect_no_line NAME REGEX: over whole normalized lines
expect_line() { grep -Eq -- "$2" "$W/$1.norm" || { grep -v " mod " "$W/$1.norm" | head -60; fail "no line matching: $2"; }; }
expect_no_line() { ! grep -Eq -- "$2" "$W/$1.norm" || { grep -E -- "$2" "$W/$1.norm" | head; fail "unexpected line matching: $2"; }; }
count_lines() { grep -Ec -- "$2" "$W/$1.norm"; }

# same_outcome NAME: the traced and plain runs of NAME exited alike and printed the same
same_outcome() {
	local t=$W/$1
	[ "$TRACED_RC" = "$PLAIN_RC" ] || fail "$1: exit status $TRACED_RC with the shim, $PLAIN_RC without"
	cmp -s "$t.out" "$t.plain.out" || { diff "$t.plain.out" "$t.out" | head; fail "$1: stdout differs"; }
}

# read_alike NAME IGNORED CMD...: CMD exec'd by bash after `trap '' IGNORED` (a parent that
# ignores those signals; none if empty), without the shim into $W/NAME.plain, then under it
# (traced NAME); fails unless both exit 0 and print the same, byte for byte (what the program
# read of its signal actions: t276, t286)
read_alike() {
	local name=$1 ign=$2 pre="" prc
	shift 2
	[ -n "$ign" ] && pre="trap '' $ign;"
	bash -c "$pre exec \"\$@\"" - "$@" >"$W/$name.plain" 2>&1
	prc=$?
	traced "$name" bash -c "$pre exec \"\$@\"" - "$@"
	[ $prc = 0 ] || fail "ignoring '$ign': status $prc without the shim"
	[ $RC = 0 ] || fail "ignoring '$ign': status $RC under the shim: $(tail -3 "$W/$name.err")"
	diff "$W/$name.plain" "$W/$name.out" >"$W/$name.diff" ||
		{ head -20 "$W/$name.diff"; fail "ignoring '$ign': what the program read differs ($(grep -c '^<' "$W/$name.diff") lines)"; }
	note "ignoring '$ign': $(wc -l <"$W/$name.out") lines the same"
}

# symoff FILE SYMBOL: the symbol's offset (hex, 0x-prefixed) in FILE, from .dynsym or .symtab
symoff() {
	local v
	v=$( { nm -D --defined-only "$1" 2>/dev/null; nm --defined-only "$1" 2>/dev/null; } | awk -v s="$2" '$3 == s { print $1; exit }')
	[ -n "$v" ] || fail "no symbol $2 in $1"
	printf '0x%x\n' "$((16#$v))"
}

# signal_while_polling NAME SIGNAL CMD...: CMD under the shim until it prints "polling", 0.4 s
# more, then SIGNAL to it; sets RC; its children still running (each printed "child N ready")
# killed; trace in $W/NAME.trace, output NAME.out, report NAME.txt (t210, t211)
signal_while_polling() {
	local name=$1 sig=$2 pid i
	shift 2
	rm -f "$W/$name.trace"
	env LD_PRELOAD="$SHIM" TLSTRACE_FILE="$W/$name.trace" "$@" >"$W/$name.out" 2>&1 &
	pid=$!
	for i in $(seq 1 200); do grep -q "^polling" "$W/$name.out" && break; sleep 0.05; done
	sleep 0.4
	kill -"$sig" $pid
	wait $pid
	RC=$?
	for i in $(sed -n 's/^child \([0-9]*\) ready$/\1/p' "$W/$name.out"); do kill -9 "$i" 2>/dev/null; done
	grep -q "^polling" "$W/$name.out" || fail "$name: did not poll: $(cat "$W/$name.out")"
	"$REPORT" --color=never "$W/$name.trace" >"$W/$name.txt"
}

# one_poll NAME STATUS ERE: after signal_while_polling NAME: it ended with STATUS, and its trace
# has one wait_poll line, which matches ERE after "wait_poll " (t231, t232)
one_poll() {
	[ "$RC" = "$2" ] || fail "$1: status $RC, expected $2"
	grep -Eq " wait_poll $3$" "$W/$1.trace" || fail "$1: $(grep -E 'wait_|kill |sig_arrive' "$W/$1.trace")"
	[ "$(grep -c ' wait_poll ' "$W/$1.trace")" = 1 ] || fail "$1: $(grep -c ' wait_poll ' "$W/$1.trace") wait_poll lines, expected 1"
}

# free_port: a TCP port nothing listens on, on loopback
free_port() { $PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# wait_http PORT [SECONDS]: until the server answers
wait_http() {
	local i
	for i in $(seq 1 $((${2:-20} * 10))); do
		curl -s -o /dev/null "http://127.0.0.1:$1/" && return 0
		sleep 0.1
	done
	return 1
}

# stop_server PID SIGNAL WHAT: send SIGNAL, wait up to 30 s for PID to exit (then kill it and its
# children and fail); sets RC to its exit status
stop_server() {
	local pid=$1 sig=$2 i
	kill -"$sig" "$pid"
	for i in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	if kill -0 "$pid" 2>/dev/null; then
		pkill -9 -P "$pid"
		kill -9 "$pid"
		fail "$3 did not stop on SIG$sig"
	fi
	wait "$pid"
	RC=$?
}

# uWSGI (master + 1 worker, python3 plugin, the seed app) under the shim on a free loopback port:
#   uwsgi_start NAME [UWSGI-ARGS...]   start, wait until it answers; sets UPID, PORT
#   uwsgi_get                          one request
#   uwsgi_forks N                      wait until the master forked N workers (respawns)
#   uwsgi_stop SIGNAL                  send SIGNAL, wait for the master to exit (30 s); sets RC
# uwsgi_run NAME SIGNAL [UWSGI-ARGS...] does all: start, one request, stop with SIGNAL.
# With NOSHIM=1 the same without the shim (no trace); UAPP names another app module (default
# seed_app). Trace in $W/NAME.trace, log in NAME.log.
UNAME=
uwsgi_start() {
	local ext preload=$SHIM
	UNAME=$1
	shift
	[ "${NOSHIM:-0}" = 1 ] && preload=
	ext=$(build_pyext seedext seedext.cc)
	PORT=$(free_port)
	rm -f "$W/$UNAME.trace"
	LD_PRELOAD=$preload TLSTRACE_FILE=$W/$UNAME.trace uwsgi --plugin python3 --http-socket 127.0.0.1:$PORT \
		--master --processes 1 --pythonpath "$ext" --pythonpath "$ROOT/tests/apps" \
		--module "${UAPP:-seed_app}" --need-app --disable-logging "$@" >"$W/$UNAME.log" 2>&1 </dev/null &
	UPID=$!
	wait_http $PORT 30 || { kill -9 $UPID; cat "$W/$UNAME.log"; fail "uWSGI did not come up"; }
}
uwsgi_get() { curl -s --max-time 10 "http://127.0.0.1:$PORT/" >>"$W/$UNAME.out"; }
uwsgi_forks() {
	local i
	for i in $(seq 1 300); do
		[ "$(grep -c " forked $UPID$" "$W/$UNAME.trace" 2>/dev/null)" -ge "$1" ] && wait_http $PORT 10 && return 0
		sleep 0.1
	done
	fail "uWSGI did not fork $1 workers"
}
uwsgi_stop() {
	stop_server $UPID "$1" uWSGI
	[ "${NOSHIM:-0}" = 1 ] && return 0
	[ -s "$W/$UNAME.trace" ] || fail "no trace from uWSGI"
	normalize "$UNAME"
}
uwsgi_run() {
	local name=$1 sig=$2
	shift 2
	uwsgi_start "$name" "$@"
	uwsgi_get
	uwsgi_stop "$sig"
}

# uwsgi_worker NAME [N]: pid of the Nth (default first) worker: forked children of uwsgi-core
uwsgi_worker() {
	awk -v n="${2:-1}" '$4 == "tlstrace" && $7 ~ /uwsgi/ { master = $1 } $4 == "forked" && $5 == master && ++k == n { print $1; exit }' "$W/$1.norm"
}

# apache_run NAME MODE: a private Apache 2.4 + mod_wsgi instance under the shim on a free loopback
# port, its own config, pid file and logs in $W/NAME.apache/ (a link to /tmp); MODE is prefork (embedded), event
# (embedded, event MPM) or daemon (WSGIDaemonProcess, event MPM); the seed app in the main
# interpreter; one request; stopped with SIGTERM (apache2 -k stop) and waited for (30 s).
# Sets RC; trace in $W/NAME.trace, Apache's error log in $W/NAME.apache/error.log.
# With NOSHIM=1 the same without the shim; UAPP names another app of tests/apps (default seed_app).
apache_run() {
	local name=$1 mode=$2 d ext pid i mpm=event wsgi
	ext=$(build_pyext seedext seedext.cc)
	PORT=$(free_port)
	# Apache's children run as www-data: what they open (the app, the extension, the mutex and
	# socket directory) must be reachable by that user, and a checkout under a private directory
	# (mktemp -d, /root) is not. They get a world-readable directory of their own in /tmp,
	# removed when the case ends; $W/NAME.apache points at it.
	d=$(mktemp -d /tmp/tlstrace-apache.XXXXXX) || fail "cannot make a directory for Apache"
	APACHE_DIRS+=("$d")
	trap 'rm -rf "${APACHE_DIRS[@]}"' EXIT
	chmod 755 "$d"
	ln -sfn "$d" "$W/$name.apache"
	mkdir "$d/apps" "$d/pyext"
	cp "$ROOT"/tests/apps/*.py "$d/apps/" && cp "$ext"/seedext*.so "$d/pyext/" || fail "cannot stage the app"
	local threads="ThreadsPerChild 2"
	[ "$mode" = prefork ] && mpm=prefork threads=
	wsgi="WSGIPythonPath $d/pyext:$d/apps"
	if [ "$mode" = daemon ]; then
		wsgi="WSGIDaemonProcess seed processes=1 threads=2 python-path=$d/pyext:$d/apps
WSGIProcessGroup seed
WSGISocketPrefix $d/wsgi"
	fi
	cat >"$d/httpd.conf" <<CONF
ServerRoot $d
Listen 127.0.0.1:$PORT
ServerName 127.0.0.1
PidFile $d/httpd.pid
ErrorLog $d/error.log
LogLevel info
DefaultRuntimeDir $d
Mutex file:$d default
User www-data
Group www-data
LoadModule mpm_${mpm}_module /usr/lib/apache2/modules/mod_mpm_${mpm}.so
LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
LoadModule wsgi_module /usr/lib/apache2/modules/mod_wsgi.so
StartServers 1
ServerLimit 1
MaxRequestWorkers 2
$threads
$wsgi
WSGIApplicationGroup %{GLOBAL}
WSGIScriptAlias / $d/apps/${UAPP:-seed_app}.py
<Directory $d/apps>
Require all granted
</Directory>
CONF
	rm -f "$W/$name.trace"
	local preload=$SHIM
	[ "${NOSHIM:-0}" = 1 ] && preload=
	# its own session: at stop, Apache signals its whole process group
	LD_PRELOAD=$preload TLSTRACE_FILE=$W/$name.trace setsid /usr/sbin/apache2 -f "$d/httpd.conf" -DFOREGROUND \
		>"$d/stdout.log" 2>&1 </dev/null &
	pid=$!
	for i in $(seq 1 300); do
		kill -0 $pid 2>/dev/null || { cat "$d/stdout.log" "$d/error.log" 2>/dev/null; fail "Apache exited at start"; }
		curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break
		sleep 0.1
	done
	[ $i -lt 300 ] || { kill -9 $pid; cat "$d/error.log"; fail "Apache did not come up"; }
	curl -s --max-time 10 "http://127.0.0.1:$PORT/" >"$W/$name.out"
	stop_server $pid TERM Apache
	# children that outlive the parent would keep the port: make sure none is left
	pkill -9 -f "$d/httpd.conf" 2>/dev/null
	[ "${NOSHIM:-0}" = 1 ] && return 0
	[ -s "$W/$name.trace" ] || fail "no trace from Apache"
	normalize "$name"
}

# gunicorn_run NAME SIGNAL WORKER-CLASS [ARGS...]: gunicorn (Debian's python3-gunicorn, run by
# /usr/bin/python3) with one worker serving the seed app under the shim on a free loopback port;
# one request; SIGNAL to the arbiter; waited for (30 s). Sets RC; trace in $W/NAME.trace. UAPP
# names another app of tests/apps (default seed_app).
gunicorn_run() {
	local name=$1 sig=$2 class=$3 ext pid i
	shift 3
	ext=$(build_pyext seedext seedext.cc)
	PORT=$(free_port)
	rm -f "$W/$name.trace"
	LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/$name.trace $PY -m gunicorn --bind 127.0.0.1:$PORT --workers 1 \
		--worker-class "$class" --pythonpath "$ext,$ROOT/tests/apps" "$@" "${UAPP:-seed_app}:application" \
		>"$W/$name.log" 2>&1 </dev/null &
	pid=$!
	wait_http $PORT 30 || { kill -9 $pid; cat "$W/$name.log"; fail "gunicorn did not come up"; }
	curl -s --max-time 10 "http://127.0.0.1:$PORT/" >"$W/$name.out"
	stop_server $pid "$sig" gunicorn
	[ -s "$W/$name.trace" ] || fail "no trace from gunicorn"
	normalize "$name"
}

# expect_no_findings NAME [WHAT]: the report on $W/NAME.trace finds nothing: exit status 0, "0
# findings" in the text, no finding and no group in the JSON (the report shown otherwise)
expect_no_findings() {
	local n=$1 what=${2:-$1} rc
	$REPORT "$W/$n.trace" >"$W/$n.report"; rc=$?
	[ $rc = 0 ] && grep -q "^0 findings" "$W/$n.report" ||
		{ cat "$W/$n.report"; fail "$what: report exit status $rc, expected 0 findings"; }
	$REPORT --json "$W/$n.trace" >"$W/$n.report.json" || fail "$what: --json exit status $?"
	$PY -c 'import json, sys; d = json.load(open(sys.argv[1])); sys.exit(bool(d["findings"] or d["groups"]))' \
		"$W/$n.report.json" || fail "$what: findings in the JSON report"
}

# gunicorn_stuck NAME [ARGS...]: gunicorn (one sync worker, tests/apps/stuck_app.py) under the
# shim on a free loopback port, with one request to /stuck in flight (it sleeps 60 s); sets GPID
# (the arbiter) and CPID (the request's curl, ended by gunicorn_stuck_end); trace in $W/NAME.trace,
# the server's log in NAME.log
gunicorn_stuck() {
	local name=$1
	shift
	PORT=$(free_port)
	rm -f "$W/$name.trace"
	LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/$name.trace $PY -m gunicorn --bind 127.0.0.1:$PORT --workers 1 \
		--pythonpath "$ROOT/tests/apps" "$@" stuck_app:application >"$W/$name.log" 2>&1 </dev/null &
	GPID=$!
	wait_http $PORT 30 || { kill -9 $GPID; cat "$W/$name.log"; fail "gunicorn did not come up"; }
	curl -s --max-time 20 "http://127.0.0.1:$PORT/stuck" >/dev/null 2>&1 &
	CPID=$!
	sleep 1
}
# gunicorn_stuck_end NAME: the request's curl ended, the report of the trace in $W/NAME.txt and .json
gunicorn_stuck_end() {
	kill "$CPID" 2>/dev/null
	wait "$CPID" 2>/dev/null
	[ -s "$W/$1.trace" ] || fail "no trace from gunicorn"
	"$REPORT" --color=never "$W/$1.trace" >"$W/$1.txt" 2>&1
	"$REPORT" --json "$W/$1.trace" >"$W/$1.json" 2>/dev/null
}

# field_case NAME DIR [MODE...]: the field case tests/cases/DIR (its `run`) on this build, its
# outputs in $W/NAME, what it printed in $W/NAME.txt, shown and failed if it could not run; F is
# that file. Then field_outcome PLAIN TRACED: the lines "without the shim: ..." and "with the
# shim: ..." must match the grep patterns PLAIN and TRACED (after the colon and its spaces).
field_case() {
	local name=$1 dir=$2
	shift 2
	F=$W/$name.txt
	"$ROOT/tests/cases/$dir/run" "$ROOT" "$W/$name" "$@" >"$F" 2>&1 || { cat "$F"; fail "run failed"; }
}
field_outcome() {
	grep -q "^without the shim: *$1" "$F" || fail "plain run: $(grep '^without' "$F")"
	grep -q "^with the shim: *$2" "$F" || fail "traced run: $(grep '^with the' "$F")"
}

# h5_hang_checks: what both of h5's modes with WSGIDestroyInterpreter On show in $F (field_case
# h5 ...): Py_EndInterpreter not returning, the Apache parent's SIGKILL after teardown began, the
# hang finding naming the sub-interpreter's destruction and the thread at app.py line 10, the hint;
# the sub-interpreter by its name, mod_wsgi's application group 127.0.0.1:PORT| (timeline, hang)
h5_hang_checks() {
	grep -Eq "Py_EndInterpreter \\(sub-interpreter '127\\.0\\.0\\.1:[0-9]+\\|', thread state 0x[0-9a-f]+\\) +\\[did not return\\]" "$F" || fail "no Py_EndInterpreter of '127.0.0.1:PORT|' in the timeline"
	grep -Eq "hang: .*, destroying sub-interpreter '127\\.0\\.0\\.1:[0-9]+\\|'" "$F" || fail "the hang finding does not name the sub-interpreter"
	grep -Eq "was killed by SIGKILL, sent by process [0-9]+ \\(apache2, its parent\\).* after its teardown began \\((SIGTERM's arrival, then )?Py_EndInterpreter\\)" "$F" || fail "killed finding"
	grep -Eq "^\\[[0-9]+\\] error hang " "$F" || { cat "$F"; fail "no hang finding"; }
	grep -q "root cause: destroying a sub-interpreter (Py_EndInterpreter[^)]*) first joins its non-daemon threads (threading._shutdown), and its thread is still running: thread [0-9]* \"refresher\" (apache2), at \"[^\"]*app.py\", line 10 in _refresher" "$F" ||
		fail "hang root cause: $(grep -A4 'error hang' "$F")"
	grep -q "WSGIDestroyInterpreter Off" "$F" || fail "no hint"
}

# reliability_case NN|DIR: tests/cases/reliability/NN_*/run (or DIR/run) on this build, outputs in
# $W/case-DIR, its lines shown; skips if it could not run (DIFFERENT: not run), fails unless it
# ends SAME
reliability_case() {
	local dir out
	dir=$ROOT/tests/cases/reliability/$1
	[ -d "$dir" ] || dir=$(ls -d "$ROOT/tests/cases/reliability/$1"_* 2>/dev/null | head -1)
	[ -n "$dir" ] && [ -d "$dir" ] || fail "no reliability case $1"
	out=$("$dir/run" "$ROOT" "$W/case-$(basename "$dir")" 2>&1)
	printf '%s\n' "$out" | sed 's/^/# /'
	case $(printf '%s\n' "$out" | tail -1) in
	SAME) ;;
	"DIFFERENT: not run:"*) skip "$(basename "$dir"): $(printf '%s\n' "$out" | tail -1)" ;;
	*) fail "case $(basename "$dir"): $(printf '%s\n' "$out" | tail -1)" ;;
	esac
}

# chroot_cases RELEASE CASE...: run the cases inside a chroot of the Debian RELEASE: through
# tests/chroot (the suite's chroot runner, with the installed package) when this tree has it,
# else in the cached chroot $TLSTRACE_CHROOTS/RELEASE (default /var/cache/tlstrace; skip when it
# lacks python3-dev and g++), with this tree copied into it and built there, /proc mounted in a
# private mount namespace for the run only. Sets RC; each case's output goes to $W/CASE.log.
chroot_cases() {
	local rel=$1 root=${TLSTRACE_CHROOTS:-/var/cache/tlstrace}/$1 dir c
	shift
	[ "${TEST_INSTALLED:-0}" = 1 ] && skip "already inside a chroot"
	[ "$(id -u)" = 0 ] || skip "needs root"
	if [ -x "$ROOT/tests/chroot" ]; then
		"$ROOT/tests/chroot" test "$rel" "$@" >"$W/chroot.log" 2>&1
		RC=$?
		return
	fi
	[ -x "$root/usr/bin/g++" ] && ls "$root"/usr/include/python3*/Python.h >/dev/null 2>&1 ||
		skip "no $rel chroot with g++ and python3-dev at $root"
	dir=/tmp/tlstrace-$CASE.$$
	rm -rf "$root$dir"
	mkdir -p "$root$dir"
	tar -C "$ROOT" --exclude=./tests/out --exclude=./.git -cf - . | tar -C "$root$dir" -xf - || fail "cannot copy the tree"
	# the script runs as pid 1 of a new pid namespace: what a case leaves behind dies with it
	unshare --mount --propagation private --pid --fork --kill-child -- bash -c '
		root=$1 dir=$2 w=$3
		shift 3
		mount -t proc proc "$root/proc" || exit 2
		run() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 bash -c "cd $dir && $1"; }
		run "make -s clean && make -s" >"$w/build.log" 2>&1 || exit 2
		for c; do
			run "bash tests/${c}_*.sh" >"$w/$c.log" 2>&1
			echo "$c $?"
		done' chroot_cases "$root" "$dir" "$W" "$@" >"$W/results.txt"
	RC=$?
	[ $RC = 0 ] || { tail -20 "$W/build.log"; fail "$rel: build failed"; }
	while read -r c rc; do
		case $rc in
		0) note "$rel: $c ok" ;;
		77) note "$rel: $c skipped: $(grep -m1 '^SKIP' "$W/$c.log")" ;;
		*) RC=1; echo "---- $rel: $c failed (exit $rc):"; tail -20 "$W/$c.log" ;;
		esac
	done <"$W/results.txt"
	rm -rf "${root:?}$dir"
}

# handler_hang_run MODE: tests/src/handler_hang.c (built by the caller) under the shim with
# TLSTRACE_HANG_MS=$H; SIGTERM once it is ready, SIGKILL after 3x H if still alive; RC its status;
# the trace, the report and its JSON in $W/MODE.trace, .txt, .json (t205, t235-t237); HH_PROG
# names another program of tests/src, HH_WAIT another time to SIGKILL in s (t257, t258)
handler_hang_run() {
	local m=$1 pid i
	rm -f "$W/$m.trace" "$W/$m.out"
	TLSTRACE_HANG_MS=$H LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/$m.trace "$BIN/${HH_PROG:-handler_hang}" "$m" >"$W/$m.out" 2>"$W/$m.err" &
	pid=$!
	for i in $(seq 250); do grep -q ready "$W/$m.out" && break; sleep 0.02; done
	kill -TERM $pid
	sleep "${HH_WAIT:-$(awk -v h=$H 'BEGIN { print 3 * h / 1000 + 0.15 }')}"
	kill -KILL $pid 2>/dev/null
	wait $pid
	RC=$?
	"$REPORT" --color=never "$W/$m.trace" >"$W/$m.txt" 2>&1
	"$REPORT" --json "$W/$m.trace" >"$W/$m.json" 2>/dev/null
}

# handler_hang_checks MODE [HANDLER_RE [INTERRUPTED]]: after handler_hang_run MODE: killed by the
# test's SIGKILL, the arrival line, hang_arm handler, two snapshots or more timed from the
# arrival (300 and 600 ms), the hang finding naming the arrival and the handler, and in it the
# handler's frame (HANDLER_RE, default on_term(_info)?) above the INTERRUPTED function's
# (default main); the finding's text in $W/MODE.hang
handler_hang_checks() {
	local m=$1 h=${2:-"on_term(_info)?"} interrupted=${3:-main} n
	[ $RC = 137 ] || fail "$m: status $RC, not SIGKILL's"
	grep -q ' sig_arrive 15 0 [0-9]* [0-9]* 0+0x[0-9a-f]* fn ' "$W/$m.trace" || fail "$m: no arrival line"
	grep -q ' hang_arm handler 300$' "$W/$m.trace" || fail "$m: no hang_arm handler"
	n=$(grep -c ' hang [0-9]' "$W/$m.trace")
	[ "$n" -ge 2 ] || fail "$m: $n snapshots"
	awk '$5 == "hang" { print $7 }' "$W/$m.trace" | awk 'NR==1 && ($1 < 300 || $1 > 550) || NR==2 && ($1 < 600 || $1 > 850) { bad=1 } END { exit bad }' ||
		fail "$m: snapshot times $(awk '$5 == "hang" { print $7 }' "$W/$m.trace" | tr '\n' ' ')"
	grep -Eq "was still in its teardown [0-9.]+ s after it began \(SIGTERM's arrival; its handler $h never returned, thread [0-9]+\)" "$W/$m.txt" ||
		{ grep -A3 "error hang" "$W/$m.txt"; fail "$m: the hang finding does not name the arrival and the handler"; }
	awk '/^\[[0-9]+\] error hang/ { on = 1 } on' "$W/$m.txt" >"$W/$m.hang"
	grep -Eq "#[0-9]+ +$h\\+0x[0-9a-f]+ \\(${HH_PROG:-handler_hang}.c:[0-9]+\\)" "$W/$m.hang" || { cat "$W/$m.hang"; fail "$m: no handler frame"; }
	grep -Eq "#[0-9]+ +$interrupted\\+0x[0-9a-f]+ \\(${HH_PROG:-handler_hang}.c:[0-9]+\\)" "$W/$m.hang" || { cat "$W/$m.hang"; fail "$m: no frame of the interrupted $interrupted"; }
}

# handler_hang_none MODE...: handler_hang_run for each MODE, whose handler gets no watcher: ended
# by the test's SIGKILL (137), and no snapshot in the trace (t235, t257)
handler_hang_none() {
	local m
	for m in "$@"; do
		handler_hang_run $m
		[ $RC = 137 ] || fail "$m: status $RC"
		! grep -q ' hang [0-9]' "$W/$m.trace" || fail "$m: a snapshot"
	done
}

# py_handler_run MODE: $W/pyh.py MODE (written by the caller) under the shim with
# TLSTRACE_HANG_MS=$H; SIGTERM (or $SIG) once it printed ready, SIGKILL once its trace has two
# complete snapshots, or if still alive after 5 s with no watch armed, or after 20 s (no timing
# is assumed: a busy machine slows the watchdog; a full run once missed 3x H); RC its status, the report in
# $W/MODE.txt (t207, t238, t270, t272, t282, t283)
py_handler_run() {
	local m=$1 pid i
	rm -f "$W/$m.trace" "$W/$m.out"
	TLSTRACE_HANG_MS=$H LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/$m.trace $PY "$W/pyh.py" "$m" >"$W/$m.out" 2>"$W/$m.err" &
	pid=$!
	for i in $(seq 250); do grep -q ready "$W/$m.out" && break; sleep 0.02; done
	kill -"${SIG:-TERM}" $pid
	for i in $(seq 1000); do
		kill -0 $pid 2>/dev/null || break
		[ "$(grep -c ' hang_end ' "$W/$m.trace" 2>/dev/null)" -ge 2 ] && break
		[ $i -ge 250 ] && ! grep -q " hang_arm " "$W/$m.trace" 2>/dev/null && break
		sleep 0.02
	done
	kill -KILL $pid 2>/dev/null
	wait $pid
	RC=$?
	"$REPORT" --color=never "$W/$m.trace" >"$W/$m.txt" 2>&1
}

# py_handler_hang_checks MODE ARM FUNC: after py_handler_run MODE, the facts every Python
# handler hang has: killed by the runner's SIGKILL, a `hang_arm ARM H` line (ARM an ERE), two or
# more complete snapshots, and the handler FUNC's Python frame in the report (t270, t272)
py_handler_hang_checks() {
	local m=$1
	[ $RC = 137 ] || fail "$m: status $RC"
	grep -Eq " hang_arm $2 $H\$" "$W/$m.trace" || fail "$m: no hang_arm $2"
	[ "$(grep -c ' hang_end ' "$W/$m.trace")" -ge 2 ] || fail "$m: $(grep -c ' hang_end ' "$W/$m.trace") complete snapshots"
	grep -q "File \".*pyh.py\", line [0-9]* in $3" "$W/$m.txt" || { cat "$W/$m.txt"; fail "$m: no Python frame of the handler"; }
}

# handler_hang_scanned MODE...: handler_hang_run and handler_hang_checks for each MODE, whose
# handler's thread the watcher cannot signal: its frames come from a scan (t236, t237)
handler_hang_scanned() {
	local m
	for m in "$@"; do
		handler_hang_run $m
		handler_hang_checks $m
		grep -Eq " hang_bt [0-9]+ scan [0-9]+\\+0x" "$W/$m.trace" || fail "$m: no scanned frames"
		grep -q "frames found by a scan of its stack" "$W/$m.hang" || fail "$m: the scan is not labelled"
	done
}

# report_timed OUT ARGS...: tlstrace-report --no-symbols ARGS into OUT.txt (and OUT.err) within
# 10 s of wall clock and 5 s of CPU: a big trace's report stays near linear (the machine may be
# busy: wide margins, and CPU time rather than the clock); RC: its status (0 or 1)
report_timed() {
	local out=$1 rc cpu
	shift
	timeout 10 /usr/bin/time -f '%U %S' -o "$out.time" "$REPORT" --no-symbols "$@" >"$out.txt" 2>"$out.err"
	rc=$?
	[ $rc = 124 ] && fail "$*: not done within 10 s"
	[ $rc -le 1 ] || { cat "$out.err"; fail "$*: status $rc"; }
	cpu=$(tail -1 "$out.time" | awk '{print $1 + $2}')
	note "$*: $cpu s of CPU"
	awk -v c="$cpu" 'BEGIN { exit !(c <= 5) }' || fail "$*: $cpu s of CPU (limit 5 s)"
	RC=$rc
}

# hup_hang_run NAME SIG H: tests/src/hup_hang.c handling SIG under the shim (TLSTRACE_HANG_MS H),
# sent SIG once ready, SIGKILL after 3x H; its trace NAME.trace and report NAME.txt in $W, its
# status in RC (t251, t264)
hup_hang_run() {
	local m=$1 sig=$2 h=$3 pid i
	build hup_hang hup_hang.c
	TLSTRACE_HANG_MS=$h LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/$m.trace "$BIN/hup_hang" $sig >"$W/$m.out" 2>"$W/$m.err" &
	pid=$!
	for i in $(seq 250); do grep -q ready "$W/$m.out" && break; sleep 0.02; done
	kill -$sig $pid
	sleep "$(awk -v h=$h 'BEGIN { print 3 * h / 1000 + 0.15 }')"
	kill -KILL $pid 2>/dev/null
	wait $pid
	RC=$?
	"$REPORT" --color=never "$W/$m.trace" >"$W/$m.txt" 2>&1
}
