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
	# one name, one program: a binary another test built from other sources would be taken as
	# up to date (t308's atexit_sleep.cc once stood in for t310's atexit_sleep.c). Flags may
	# differ (exits, arrival_order: -pthread, -ldl, the same program with glibc 2.34+)
	local how="${srcs[*]}"
	[ ! -e "$out.how" ] || [ "$(cat "$out.how")" = "$how" ] ||
		fail "$BIN/$(basename "$out") is built from $(cat "$out.how") by another test, here from $how: give one of them another name"
	local newer=0
	for s in "${srcs[@]}"; do [ "$s" -nt "$out" ] && newer=1; done
	[ -e "$out" ] && [ -e "$out.how" ] && [ $newer = 0 ] && return 0
	$cc -g -O2 -Wall -o "$out.tmp" "${srcs[@]}" "${flags[@]}" && mv "$out.tmp" "$out" || fail "cannot build $out"
	echo "$how" >"$out.how"
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

# wait_for PID SECONDS WHAT CMD...: until CMD succeeds (tried every 20 ms: return 0), or until
# process PID (- for none) is gone (CMD tried once more: its status). A case waits this way for
# an event (a trace line, a line of output, a port that answers, a system call it blocks in),
# never for a time: on a busy machine (CI's two cores, another suite alongside) any fixed delay
# is once too short. SECONDS is only a safety net for a stuck run (make it 30 to 60, far beyond
# what the event takes there): past it PID gets SIGKILL and the case fails, naming WHAT.
wait_for() {
	local pid=$1 limit=$2 what=$3 end=$((SECONDS + $2))
	shift 3
	until "$@"; do
		if [ "$pid" != - ] && ! running "$pid"; then
			"$@"
			return
		fi
		if [ $SECONDS -ge $end ]; then
			[ "$pid" = - ] || kill -KILL "$pid" 2>/dev/null
			fail "no $what within $limit s (a safety net: the run is stuck)"
		fi
		sleep 0.02
	done
}

# running PID: the process exists and is not a zombie (a child of this shell stays one until
# waited for, and kill -0 still finds it)
running() {
	local s
	s=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) && [ -n "$s" ] && [ "${s%% *}" != Z ]
}

# has_lines FILE N ERE: FILE has N lines or more matching ERE (a file not there yet has none)
# timeout_term PID TRACE N: SIGTERM to timeout(1) started in the background as PID, which passes
# it on to its command and then to its process group, and dies of it; fails unless its status is
# 143; then waits (10 s at the most) for N lines of SIGTERM's arrival in TRACE (a child of the
# command may write its line a moment after the command's death)
timeout_term() {
	local i rc
	kill -TERM "$1"
	wait "$1"
	rc=$?
	[ $rc = 143 ] || fail "status $rc"
	for i in $(seq 200); do [ "$(grep -c ' sig_arrive 15 ' "$2")" -ge "$3" ] && break; sleep 0.05; done
}

has_lines() {
	local n
	n=$(grep -Ec -- "$3" "$1" 2>/dev/null)
	[ "${n:-0}" -ge "$2" ]
}

# in_syscall PID NR...: process PID's main thread is blocked in one of the system calls NR
# (x86-64 numbers, e.g. 34 pause, 35 nanosleep, 230 clock_nanosleep; /proc/PID/syscall)
in_syscall() {
	local pid=$1 nr rest n
	shift
	{ read -r nr rest <"/proc/$pid/syscall"; } 2>/dev/null || return 1
	for n; do [ "$nr" = "$n" ] && return 0; done
	return 1
}

# signal_while_polling NAME SIGNAL [-t ERE | -s NR | -f FUNC]... CMD...: CMD under the shim until
# it prints "polling", then until what the case's facts need is there: a line of its trace
# matching ERE (-t, each one given), its main thread blocked in system call NR (-s: 230,
# clock_nanosleep, between two polls: one poll at least is done; 34, pause, after its polls),
# FUNC TRACE succeeding (-f); with none of them (a run that must write nothing: no event to
# wait for) 0.4 s more. Then SIGNAL to it; sets RC; its children still running (each printed
# "child N ready") killed; trace in $W/NAME.trace, output NAME.out, report NAME.txt (t210, t211,
# t231, t232, t281)
signal_while_polling() {
	local name=$1 sig=$2 pid i conds=()
	shift 2
	while :; do
		case $1 in
		-t) conds+=(has_lines "$W/$name.trace" 1 "$2" ";") ;;
		-s) conds+=(in_syscall @PID@ "$2" ";") ;;
		-f) conds+=("$2" "$W/$name.trace" ";") ;;
		*) break ;;
		esac
		shift 2
	done
	rm -f "$W/$name.trace"
	env LD_PRELOAD="$SHIM" TLSTRACE_FILE="$W/$name.trace" "$@" >"$W/$name.out" 2>&1 &
	pid=$!
	wait_for $pid 30 "\"polling\" from $name" has_lines "$W/$name.out" 1 "^polling" || true
	if [ ${#conds[@]} = 0 ]; then
		sleep 0.4
	else
		wait_for $pid 60 "what $name's case waits for (${conds[*]//;/,})" all_of "${conds[@]//@PID@/$pid}" || true
	fi
	kill -"$sig" $pid
	wait $pid
	RC=$?
	for i in $(sed -n 's/^child \([0-9]*\) ready$/\1/p' "$W/$name.out"); do kill -9 "$i" 2>/dev/null; done
	grep -q "^polling" "$W/$name.out" || fail "$name: did not poll: $(cat "$W/$name.out")"
	"$REPORT" --color=never "$W/$name.trace" >"$W/$name.txt"
}

# all_of CMD... ; CMD... ; ...: every command (each ended by an argument ";") succeeds
all_of() {
	local cmd=()
	while [ $# -gt 0 ]; do
		if [ "$1" = ";" ]; then
			"${cmd[@]}" || return 1
			cmd=()
		else
			cmd+=("$1")
		fi
		shift
	done
	[ ${#cmd[@]} = 0 ] || "${cmd[@]}"
}

# one_poll NAME STATUS ERE: after signal_while_polling NAME: it ended with STATUS, and its trace
# has one wait_poll line, which matches ERE after "wait_poll " (t231, t232)
one_poll() {
	[ "$RC" = "$2" ] || fail "$1: status $RC, expected $2"
	grep -Eq " wait_poll $3$" "$W/$1.trace" || fail "$1: $(grep -E 'wait_|kill |sig_arrive' "$W/$1.trace")"
	[ "$(grep -c ' wait_poll ' "$W/$1.trace")" = 1 ] || fail "$1: $(grep -c ' wait_poll ' "$W/$1.trace") wait_poll lines, expected 1"
}

# timeout_expire PID: timeout(1) process PID (given a long duration) acts now as at the end of its
# duration: SIGALRM is its timer's signal, which it takes as the end (coreutils timeout.c,
# cleanup(): timed_out, then its signal to the command; with -k the SIGKILL timer started then).
# So a case signals its command when the command is where the case needs it, not after a fixed
# delay a busy machine may not cover. Sent once timeout waits for its command (rt_sigsuspend, or
# wait4 in older ones): a signal still in its fork's return finds no command to pass on to (it
# exits 128 + the signal; t137 once). (The shim writes no line for SIGALRM.)
timeout_expire() {
	wait_for "$1" 30 "timeout $1 waiting for its command" in_syscall "$1" 130 61 || return
	kill -ALRM "$1"
}

# started TRACE EXE: the pid of the process of TRACE whose start line (tlstrace) names the
# executable EXE (its last path component); none printed if not there yet
started() { awk -v e="$2" '$5 == "tlstrace" && $8 ~ ("/" e "$") { print $1; exit }' "$1" 2>/dev/null; }

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
#   uwsgi_get                          one request, then wait until every worker is back waiting
#                                      for the next (not busy: a busy worker's stop skips the
#                                      Python atexit hooks and Py_Finalize; tests/lib/uwsgi_idle.sh)
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
uwsgi_get() {
	curl -s --max-time 10 "http://127.0.0.1:$PORT/" >>"$W/$UNAME.out"
	"$ROOT/tests/lib/uwsgi_idle.sh" "$UPID" 30 || fail "uWSGI: a worker still busy after the request"
}
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
# With NOSHIM=1 the same without the shim; UAPP names another app of tests/apps (default seed_app);
# APACHE_STOP=graceful-stop stops it with SIGWINCH (apachectl -k graceful-stop) under
# GracefulShutdownTimeout 2 instead (t418).
# No wait for an idle child as uwsgi_get's (tests/lib/uwsgi_idle.sh): mod_wsgi 4.9.4 has no busy
# test at a child's exit (wsgi_python_child_cleanup destroys the interpreters whatever runs), the
# event MPM joins its workers (join_workers) before the child's pool cleanups run, and in prefork
# what is left of the request after curl has its last byte (mod_wsgi flushes each chunk,
# Adapter_output; then the iterable's end and close with the GIL held) takes microseconds, against
# the milliseconds from curl's exit to the child's SIGTERM (stop_server, Apache's parent). Checked
# by reading mod_wsgi 4.9.4's src/server/mod_wsgi.c; a SIGTERM inside that window would run
# just_die's cleanups on a thread that holds the GIL.
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
$([ "${APACHE_STOP:-}" = graceful-stop ] && echo "GracefulShutdownTimeout 2")
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
	stop_server $pid "$([ "${APACHE_STOP:-}" = graceful-stop ] && echo WINCH || echo TERM)" Apache
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
# shim on a free loopback port, with one request to /stuck in flight (it sleeps 60 s; returns
# once the app said so in the log); sets GPID
# (the arbiter) and CPID (the request's curl, ended by gunicorn_stuck_end); trace in $W/NAME.trace,
# the server's log in NAME.log
gunicorn_stuck() {
	local name=$1
	shift
	PORT=$(free_port)
	rm -f "$W/$name.trace"
	LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/$name.trace $PY -m gunicorn --bind 127.0.0.1:$PORT --workers 1 \
		--pythonpath "$ROOT/tests/apps" "$@" "${GAPP:-stuck_app}:application" >"$W/$name.log" 2>&1 </dev/null &
	GPID=$!
	wait_http $PORT 30 || { kill -9 $GPID; cat "$W/$name.log"; fail "gunicorn did not come up"; }
	curl -s --max-time 20 "http://127.0.0.1:$PORT/stuck" >/dev/null 2>&1 &
	CPID=$!
	wait_for $GPID 30 "the /stuck request in gunicorn's worker" has_lines "$W/$name.log" 1 "^stuck request began" ||
		{ kill $CPID; fail "gunicorn ended: $(cat "$W/$name.log")"; }
}
# gunicorn_stuck_end NAME: the request's curl ended, the report of the trace in $W/NAME.txt and .json
gunicorn_stuck_end() {
	kill "$CPID" 2>/dev/null
	wait "$CPID" 2>/dev/null
	[ -s "$W/$1.trace" ] || fail "no trace from gunicorn"
	"$REPORT" --color=never "$W/$1.trace" >"$W/$1.txt" 2>&1
	"$REPORT" --json "$W/$1.trace" >"$W/$1.json" 2>/dev/null
}

# gunicorn_timed_out NAME [ARGS...]: gunicorn_stuck NAME ARGS (with a --timeout shorter than the
# request), until the arbiter's worker timeout replaced the worker, then gunicorn stopped and
# gunicorn_stuck_end; WPID the worker the timeout stopped (gunicorn's log: "WORKER TIMEOUT (pid:N)")
gunicorn_timed_out() {
	local name=$1
	gunicorn_stuck "$@"
	wait_for $GPID 60 "a second worker booted" has_lines "$W/$name.log" 2 'Booting worker' ||
		fail "$name: gunicorn ended: $(cat "$W/$name.log")"
	stop_server $GPID TERM gunicorn
	gunicorn_stuck_end "$name"
	WPID=$(sed -n 's/.*WORKER TIMEOUT (pid:\([0-9]*\)).*/\1/p' "$W/$name.log" | head -1)
	[ -n "$WPID" ] || { cat "$W/$name.log"; fail "$name: no worker timeout in gunicorn's log"; }
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
# the sub-interpreter by its name, mod_wsgi's application group 127.0.0.1:PORT| (timeline, hang);
# the fix names the thread ("refresher"). h5_hang_checks daemon: in daemon mode the destruction
# waits for the mod_wsgi thread that imported threading in the sub-interpreter (its thread state is
# never deleted: mod_wsgi 4.9.1's release notes), with or without the app's thread: the root cause
# names that thread, and the fix, in the verdict too, is WSGIDestroyInterpreter Off alone, not
# making "refresher" a daemon thread (FRESH15b item 1)
h5_hang_checks() {
	if [ "${1:-}" = daemon ]; then
		h5_daemon_checks "$F"
		return
	fi
	h5_common_checks "$F"
	grep -q "root cause: destroying a sub-interpreter (Py_EndInterpreter[^)]*) first joins its non-daemon threads (threading._shutdown), and its thread is still running: thread [0-9]* \"refresher\" (apache2), at \"[^\"]*app.py\", line 10 in _refresher" "$F" ||
		fail "hang root cause: $(grep -A4 'error hang' "$F")"
	grep -q "WSGIDestroyInterpreter Off" "$F" || fail "no hint"
	# the fix names the thread the root cause names
	grep -q "fix: *make thread [0-9]* (\"refresher\") a daemon thread (threading.Thread(daemon=True))" "$F" ||
		fail "hang fix: $(grep -A5 'error hang' "$F" | grep 'fix:')"
}

# h5_common_checks REPORT: what every h5 report with WSGIDestroyInterpreter On shows: the timeline's
# Py_EndInterpreter, the hang naming the sub-interpreter, the parent's SIGKILL
h5_common_checks() {
	grep -Eq "Py_EndInterpreter \\(sub-interpreter '127\\.0\\.0\\.1:[0-9]+\\|', thread state 0x[0-9a-f]+\\) +\\[did not return\\]" "$1" || fail "no Py_EndInterpreter of '127.0.0.1:PORT|' in the timeline"
	grep -Eq "hang: .*, destroying sub-interpreter '127\\.0\\.0\\.1:[0-9]+\\|'" "$1" || fail "the hang finding does not name the sub-interpreter"
	grep -Eq "was killed by SIGKILL, sent by process [0-9]+ \\(apache2, its parent\\).* after its teardown began \\((SIGTERM's arrival, then )?Py_EndInterpreter\\)" "$1" || fail "killed finding"
	grep -Eq "^\\[[0-9]+\\] error hang " "$1" || { cat "$1"; fail "no hang finding"; }
}

# h5_daemon_checks REPORT: h5_hang_checks daemon's checks of the hang and the verdict in REPORT
h5_daemon_checks() {
	local f=$1
	h5_common_checks "$f"
	grep -Eq "root cause: destroying a sub-interpreter \\(Py_EndInterpreter[^)]*\\) first joins its non-daemon threads \\(threading._shutdown\\), and the join waits( \\(after the thread it waits on now\\))? for thread [0-9]+ \\(apache2\\).*, which runs no threading.Thread: the thread that imported threading in that interpreter .*mod_wsgi 4.9.1's release notes.*: so the destruction waits for it whatever the application's threads do; .*thread [0-9]+ \"refresher\" \\(apache2\\), at \"[^\"]*app.py\", line 10 in _refresher" "$f" ||
		fail "hang root cause: $(grep -A4 'error hang' "$f")"
	grep -q "fix: *set \`WSGIDestroyInterpreter Off\` (mod_wsgi 4.9.1 and later: mod_wsgi then does not destroy interpreters at shutdown), the only fix here" "$f" ||
		fail "hang fix: $(grep -A5 'error hang' "$f" | grep 'fix:')"
	! grep -q "a daemon thread (threading.Thread(daemon=True))" "$f" || fail "a fix makes a thread a daemon thread: $(grep -n 'daemon=True' "$f")"
	# the verdict: its join is the thread its fix is about
	sed -n '/^verdict/,/^$/p' "$f" | grep -Eq "waiting on the join of thread [0-9]+ \\(apache2\\), the thread that imported threading in the sub-interpreter, not an application thread|waiting on the join of thread [0-9]+ \"refresher\"" ||
		fail "verdict: $(sed -n '/^verdict/,/^$/p' "$f")"
	sed -n '/^verdict/,/^$/p' "$f" | grep -q "fix: set \`WSGIDestroyInterpreter Off\`" || fail "verdict's fix: $(sed -n '/^verdict/,/^$/p' "$f")"
	# and who stopped it and when it was killed (FRESH15b item 6: neither was in the verdict)
	sed -n '/^verdict/,/^$/p' "$f" | grep -Eq "hang: .*after it began \\(Py_EndInterpreter, after SIGTERM from process ([0-9]+) \\(apache2\\) arrived at its handler, thread [0-9]+\\).*; it was then killed by SIGKILL from process \\1 \\(apache2\\) [0-9.]+ s after its teardown began$" ||
		fail "verdict's sender and kill: $(sed -n '/^verdict/,/^$/p' "$f")"
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

# ready_then_kill NAME SIGNAL PRELOAD CMD...: CMD under PRELOAD ("" for none; its trace
# $W/NAME.trace, TLSTRACE_HANG_MS=60000: no watchdog snapshot before the signal) until it prints
# "ready", then SIGNAL to it; sets PID and RC (its status); with a preload, the report in
# $W/NAME.txt (t336, t337)
ready_then_kill() {
	local n=$1 sig=$2 pre=$3
	shift 3
	rm -f "$W/$n.trace"
	LD_PRELOAD=$pre TLSTRACE_FILE=$W/$n.trace TLSTRACE_HANG_MS=60000 "$@" >"$W/$n.out" 2>"$W/$n.err" &
	PID=$!
	wait_for $PID 30 "ready from $n" has_lines "$W/$n.out" 1 ready
	kill -"$sig" $PID
	wait $PID
	RC=$?
	[ -z "$pre" ] || "$REPORT" --color=never "$W/$n.trace" >"$W/$n.txt" 2>&1
}
# killed_message NAME ERE: the message of the killed finding in $W/NAME.txt matches ERE
killed_message() {
	grep -A1 "^\[[0-9]*\] error killed" "$W/$1.txt" | tail -1 | grep -Eq -- "$2" ||
		fail "$1: killed message: $(grep -A1 'error killed' "$W/$1.txt")"
}

# chroot_trixie_sid CASE...: chroot_cases for Debian 13 "trixie" (Python 3.13) and unstable "sid"
# (3.14), each release's log kept as $W/chroot-REL.log; fails where a case failed
chroot_trixie_sid() {
	local rel
	for rel in trixie sid; do
		chroot_cases $rel "$@"
		[ $RC = 0 ] || fail "cases failed in $rel: $(tail -5 "$W/chroot.log")"
		cp "$W/chroot.log" "$W/chroot-$rel.log"
	done
}

# handler_hang_run MODE: tests/src/handler_hang.c (built by the caller) under the shim with
# TLSTRACE_HANG_MS=$H; SIGTERM once it is ready, SIGKILL once its trace has HH_SNAPS complete
# snapshots (default 2; a safety net of 60 s) or at once if it ended; RC its status; the trace,
# the report and its JSON in $W/MODE.trace, .txt, .json (t205, t235-t237); HH_PROG names another
# program of tests/src (t257, t258). HH_SNAPS=0, a run that must show no snapshot (there is no
# event to wait for): SIGKILL after 3x H + 0.15 s (a busy machine can only hide a snapshot then,
# never make the case fail)
handler_hang_run() {
	local m=$1 snaps=${HH_SNAPS:-2}
	bg_ready "$m" "$BIN/${HH_PROG:-handler_hang}" "$m"
	kill -TERM $PID
	if [ "$snaps" = 0 ]; then
		sleep "$(awk -v h=$H 'BEGIN { print 3 * h / 1000 + 0.15 }')"
	else
		wait_for $PID 60 "$snaps complete snapshots of $m" has_lines "$W/$m.trace" "$snaps" ' hang_end '
	fi
	kill_report "$m"
}

# second_term_run NAME CMD...: CMD, whose SIGTERM handler puts SIG_DFL back, under the shim
# (bg_ready); a SIGTERM, then, once its trace has a complete hang snapshot, a second SIGTERM that
# ends it (the snapshot at the kill); RC its status
second_term_run() {
	local n=$1
	bg_ready "$@"
	kill -TERM $PID
	wait_for $PID 60 "a complete snapshot of $n" has_lines "$W/$n.trace" 1 ' hang_end '
	kill -TERM $PID
	wait $PID
	RC=$?
}

# hang_message_has TEXT_REPORT ERE: the message of the text report's hang finding (the line after
# its header) matches ERE, else the case fails showing it
hang_message_has() {
	grep -A1 "^\[[0-9]*\] error hang" "$1" | tail -1 | grep -Eq "$2" ||
		fail "hang finding of $(basename "$1"): $(grep -A1 'error hang' "$1")"
}

# bg_ready NAME CMD...: CMD in the background under the shim (TLSTRACE_HANG_MS $H), its trace
# $W/NAME.trace, its output $W/NAME.out and .err; returns once it printed "ready" (a safety net
# of 30 s: then the case fails), PID its pid. Then kill_report NAME: SIGKILL to PID, RC its
# status, the report in $W/NAME.txt and its JSON in $W/NAME.json
bg_ready() {
	local n=$1
	shift
	rm -f "$W/$n.trace" "$W/$n.out"
	TLSTRACE_HANG_MS=$H LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/$n.trace "$@" >"$W/$n.out" 2>"$W/$n.err" &
	PID=$!
	wait_for $PID 30 "ready from $n" has_lines "$W/$n.out" 1 ready || { wait $PID; fail "$n: ended ($?) before it was ready: $(cat "$W/$n.err")"; }
}
# hung_run NAME CMD...: bg_ready NAME CMD..., then, once its trace holds two complete snapshots (a
# safety net of 60 s), kill_report NAME; fails unless it died of that SIGKILL (t340, t377)
hung_run() {
	local m=$1
	bg_ready "$@"
	wait_for $PID 60 "2 complete snapshots of $m" has_lines "$W/$m.trace" 2 ' hang_end '
	kill_report "$m"
	[ $RC = 137 ] || fail "$m: status $RC"
}
kill_report() {
	kill -KILL $PID 2>/dev/null
	wait $PID
	RC=$?
	"$REPORT" --color=never "$W/$1.trace" >"$W/$1.txt" 2>&1
	"$REPORT" --json "$W/$1.trace" >"$W/$1.json" 2>/dev/null
}

# hang_times TRACE FIRST LAST H: each complete snapshot (`hang ROUND MS`, then `hang_end ROUND`)
# counts MS from its process's start of the watch, with no timing assumed: MS is at least the
# round's schedule (H, 2H, 4H for rounds 1, 2, 3), at least the time from the last LAST line
# before it (written at or after that start) to the hang line, and at most the time from the
# last FIRST line (written at or before the start) to its hang_end (the shim stamps a line
# before it reads the clock for MS; shim/watchdog.c snapshot()). A handler's watch starts just
# after its arrival's line (watchdog_handler_begin) and before its hang_arm line (FIRST
# sig_arrive, LAST hang_arm); a teardown's between its exit or main_return line and its hang_arm
# line. Prints what does not hold.
hang_times() {
	awk -v first="$2" -v last="$3" -v h="$4" '
		$5 == first { f[$1] = $3 }
		$5 == last { l[$1] = $3 }
		$5 == "hang" { open[$1] = 1; r[$1] = $6; ms[$1] = $7; th[$1] = $3 }
		$5 == "hang_end" && open[$1] {
			p = $1; open[p] = 0; n++
			sched = h * (r[p] == 1 ? 1 : r[p] == 2 ? 2 : 4)
			lo = int((th[p] - l[p]) / 1e6); hi = ($3 - f[p]) / 1e6
			if (!(p in f) || !(p in l) || ms[p] < sched || ms[p] < lo || ms[p] > hi) {
				printf "round %s: %s ms, expected at least %s and %s, at most %.3f\n", r[p], ms[p], sched, lo, hi
				bad = 1
			}
		}
		END { if (!n) print "no complete snapshot"; exit bad || !n }' "$1"
}

# handler_hang_checks MODE [HANDLER_RE [INTERRUPTED]]: after handler_hang_run MODE: killed by the
# test's SIGKILL, the arrival line, hang_arm handler, two snapshots or more timed from the
# arrival (H and 2H: hang_times), the hang finding naming the arrival and the handler, and in it the
# handler's frame (HANDLER_RE, default on_term(_info)?) above the INTERRUPTED function's
# (default main); the finding's text in $W/MODE.hang
handler_hang_checks() {
	local m=$1 h=${2:-"on_term(_info)?"} interrupted=${3:-main} n
	[ $RC = 137 ] || fail "$m: status $RC, not SIGKILL's"
	grep -q ' sig_arrive 15 0 [0-9]* [0-9]* 0+0x[0-9a-f]* fn ' "$W/$m.trace" || fail "$m: no arrival line"
	grep -q ' hang_arm handler 300$' "$W/$m.trace" || fail "$m: no hang_arm handler"
	n=$(grep -c ' hang [0-9]' "$W/$m.trace")
	[ "$n" -ge 2 ] || fail "$m: $n snapshots"
	hang_times "$W/$m.trace" sig_arrive hang_arm $H >"$W/$m.times" || fail "$m: snapshot times: $(cat "$W/$m.times")"
	grep -Eq "was still in its teardown [0-9.]+ s after it began \(SIGTERM's arrival( from process [0-9]+ \([^)]*\))?; its handler $h at ${HH_PROG:-handler_hang}\.c:[0-9]+ in ${HH_PROG:-handler_hang} never returned, thread [0-9]+\)" "$W/$m.txt" ||
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
		HH_SNAPS=0 handler_hang_run $m
		[ $RC = 137 ] || fail "$m: status $RC"
		! grep -q ' hang [0-9]' "$W/$m.trace" || fail "$m: a snapshot"
	done
}

# py_handler_run MODE: $W/pyh.py MODE (written by the caller) under the shim with
# TLSTRACE_HANG_MS=$H; SIGTERM (or $SIG) once it printed ready, SIGKILL once its trace has two
# complete snapshots, or at once if it ended, or, where the caller set PYH_DONE (an ERE), once
# its output has a line matching it and no watch is armed (t283: a handler that returns while
# an atexit callback sleeps on); a safety net of 60 s. No timing is assumed: a busy machine
# slows the watchdog (a full run once missed 3x H; a fixed 5 s for "no watch armed" before).
# RC its status, the report in $W/MODE.txt (t207, t238, t270, t272, t282, t283)
py_handler_run() {
	local m=$1 pid
	rm -f "$W/$m.trace" "$W/$m.out"
	TLSTRACE_HANG_MS=$H LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/$m.trace $PY "$W/pyh.py" "$m" >"$W/$m.out" 2>"$W/$m.err" &
	pid=$!
	wait_for $pid 30 "ready from $m" has_lines "$W/$m.out" 1 ready || { wait $pid; fail "$m: ended ($?) before it was ready: $(cat "$W/$m.err")"; }
	kill -"${SIG:-TERM}" $pid
	wait_for $pid 60 "two complete snapshots of $m${PYH_DONE:+ nor $PYH_DONE}" py_handler_settled "$m"
	kill -KILL $pid 2>/dev/null
	wait $pid
	RC=$?
	"$REPORT" --color=never "$W/$m.trace" >"$W/$m.txt" 2>&1
}
# py_handler_settled MODE: py_handler_run's event (two complete snapshots, or PYH_DONE's line
# with no watch armed)
py_handler_settled() {
	has_lines "$W/$1.trace" 2 ' hang_end ' ||
		{ [ -n "${PYH_DONE:-}" ] && has_lines "$W/$1.out" 1 "$PYH_DONE" && ! has_lines "$W/$1.trace" 1 ' hang_arm '; }
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
# 5 s of CPU: a big trace's report stays near linear (CPU time rather than the clock: the machine
# may be busy; 60 s of wall clock a safety net, not a measure: 10 s before, which a loaded
# machine may exceed where the report needs 1 s of CPU); RC: its status (0 or 1)
report_timed() {
	local out=$1 rc cpu
	shift
	timeout 60 /usr/bin/time -f '%U %S' -o "$out.time" "$REPORT" --no-symbols "$@" >"$out.txt" 2>"$out.err"
	rc=$?
	[ $rc = 124 ] && fail "$*: not done within 60 s (a safety net: the report is stuck, or far beyond 5 s of CPU)"
	[ $rc -le 1 ] || { cat "$out.err"; fail "$*: status $rc"; }
	cpu=$(tail -1 "$out.time" | awk '{print $1 + $2}')
	note "$*: $cpu s of CPU"
	awk -v c="$cpu" 'BEGIN { exit !(c <= 5) }' || fail "$*: $cpu s of CPU (limit 5 s)"
	RC=$rc
}

# hup_hang_run NAME SIG H: tests/src/hup_hang.c handling SIG under the shim (TLSTRACE_HANG_MS H),
# sent SIG once ready, SIGKILL once its trace has two complete snapshots (a safety net of 60
# s); its trace NAME.trace and report NAME.txt in $W, its status in RC (t251, t264)
hup_hang_run() {
	local m=$1 sig=$2 h=$3 pid
	build hup_hang hup_hang.c
	rm -f "$W/$m.trace" "$W/$m.out"
	TLSTRACE_HANG_MS=$h LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/$m.trace "$BIN/hup_hang" $sig >"$W/$m.out" 2>"$W/$m.err" &
	pid=$!
	wait_for $pid 30 "ready from $m" has_lines "$W/$m.out" 1 ready || { wait $pid; fail "$m: ended ($?) before it was ready"; }
	kill -$sig $pid
	wait_for $pid 60 "two complete snapshots of $m" has_lines "$W/$m.trace" 2 ' hang_end '
	kill -KILL $pid 2>/dev/null
	wait $pid
	RC=$?
	"$REPORT" --color=never "$W/$m.trace" >"$W/$m.txt" 2>&1
}

# three_snapshots NAME N: until $W/NAME.trace holds the watchdog's three complete snapshots
# (polled every 20 ms, no fixed delay), or, as a safety net, until N polls passed with no
# hang_arm line in it (a shim that does not see the teardown), or 30 s
three_snapshots() {
	local i
	for i in $(seq 1500); do
		[ "$(grep -c ' hang_end ' "$W/$1.trace" 2>/dev/null)" -ge 3 ] && break
		[ $i -ge "$2" ] && ! grep -q " hang_arm " "$W/$1.trace" 2>/dev/null && break
		sleep 0.02
	done
}

# py_teardown_block_run KIND WHERE: tests/src/py_blocks_in_teardown.py KIND WHERE under the shim
# (TLSTRACE_HANG_MS $H), SIGKILLed by pid once its trace holds the watchdog's three complete
# snapshots (polled, no fixed delay), or, as a safety net, once 10 s passed after it printed
# "ready" with no hang_arm line (a shim that does not see this teardown); outputs $W/KIND-WHERE.trace,
# .txt (report), .json; RC its status (t292, t293)
py_teardown_block_run() {
	local n=$1-$2
	bg_ready "$n" $PY "$ROOT/tests/src/py_blocks_in_teardown.py" "$1" "$2"
	three_snapshots "$n" 500
	kill_report "$n"
}

# calls_unchanged NAME MIN LAST FLAGS...: tests/src/NAME.c, whose function NAME(tag) prints a line
# per call it makes (calls_check.h), its last "LAST rc=1", built as a program (-DMAIN) and as a
# library with FLAGS; the program's lines (MIN or more) must be the same without and with the
# shim ($W/c.plain, c.shim), and so must python3's, calling the library through ctypes from its
# main code and, for "atexit", from an atexit callback too ($W/py-atexit.*, py-main.*: .plain,
# .shim, .trace; TLSTRACE_HANG_MS 60000), where the callback's calls (all made: its LAST line) begin
# the teardown (py_fin_blocking: hang_arm py_fin_stack) and the main code's do not (t294, t319)
calls_unchanged() {
	local n=$1 min=$2 last=$3 m
	shift 3
	[ "$ROOT/tests/src/calls_check.h" -nt "$BIN/$n" ] && rm -f "$BIN/$n" # (build looks at the .c only)
	build "$n" "$n.c" -- -DMAIN "$@"
	gcc -g -O2 -Wall -fPIC -shared "$@" -o "$W/lib$n.so" "$ROOT/tests/src/$n.c" || fail "cannot build the library"
	"$BIN/$n" >"$W/c.plain" 2>&1 || fail "plain run: status $?"
	LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/c.trace "$BIN/$n" >"$W/c.shim" 2>&1 || fail "traced run: status $?"
	[ "$(wc -l <"$W/c.plain")" -ge "$min" ] || { cat "$W/c.plain"; fail "too few lines"; }
	diff "$W/c.plain" "$W/c.shim" >"$W/c.diff" || { cat "$W/c.diff"; fail "the C program saw something else under the shim"; }
	cat >"$W/calls.py" <<PYEOF
import atexit, ctypes, sys
lib = ctypes.CDLL(sys.argv[1])
lib.$n(b"main")
if sys.argv[2] == "atexit":
    atexit.register(lambda: lib.$n(b"atexit"))
PYEOF
	for m in atexit main; do
		$PY "$W/calls.py" "$W/lib$n.so" $m >"$W/py-$m.plain" 2>&1 || fail "python3 $m, plain: status $?"
		TLSTRACE_HANG_MS=60000 LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/py-$m.trace $PY "$W/calls.py" "$W/lib$n.so" $m \
			>"$W/py-$m.shim" 2>&1 || fail "python3 $m, traced: status $?"
		diff "$W/py-$m.plain" "$W/py-$m.shim" >"$W/py-$m.diff" || { cat "$W/py-$m.diff"; fail "python3 $m saw something else under the shim"; }
	done
	grep -q "^atexit $last rc=1" "$W/py-atexit.plain" || fail "python3: the atexit callback's calls did not all run"
	grep -q " hang_arm py_fin_stack 60000$" "$W/py-atexit.trace" || fail "python3: the atexit callback's calls did not begin the teardown"
	! grep -q " hang_arm py_fin_stack \| threads_alive py_fin_stack " "$W/py-main.trace" ||
		fail "python3: a call in the main code began a teardown: $(grep ' py_fin_stack ' "$W/py-main.trace")"
}

# py_call_block KIND [-thread_atexit]: tests/src/py_blocks_in_call.py KIND under the shim
# (TLSTRACE_HANG_MS $H): an atexit callback (flush_metrics; $CB names it in the root cause, by
# default "an atexit callback") blocked in one call that never returns. SIGKILLed by pid once
# its trace holds the watchdog's three complete snapshots, or, as a safety net, 5 s after it
# printed "ready" with no hang_arm line (a shim that does not see the call); the children it
# printed ("child PID") ended by pid. Then what every such hang shows: killed by the runner, a
# hang_arm py_fin_stack line, three snapshots, a hang finding in Py_FinalizeEx naming the atexit
# callback with its file:line, the waiting Python frame (wait_for_ack, or the lambda it calls) and the call it waits in
# ($HOW: the report's words for it), the fix
# ($FIX, default the atexit callback's). $W/KIND.trace, .txt, .json (t317, t318)
py_call_block() {
	local n=$1${2:-} c
	TMPDIR=$W bg_ready "$n" $PY "$ROOT/tests/src/py_blocks_in_call.py" "$1" ${2:+"${2#-}"}
	three_snapshots "$n" 250
	kill_report "$n"
	for c in $(sed -n 's/^child \([0-9]*\)$/\1/p' "$W/$n.out"); do kill -KILL "$c" 2>/dev/null; done
	[ $RC = 137 ] || fail "$n: status $RC: $(cat "$W/$n.err")"
	grep -Eq " hang_arm py_fin_stack $H\$" "$W/$n.trace" || fail "$n: no hang_arm py_fin_stack (the call was not seen)"
	[ "$(grep -c ' hang_end ' "$W/$n.trace")" -ge 3 ] || fail "$n: $(grep -c ' hang_end ' "$W/$n.trace") complete snapshots"
	grep -A1 "error hang" "$W/$n.txt" | grep -q "still in its teardown [0-9.]* s after it began (Py_FinalizeEx" ||
		{ cat "$W/$n.txt"; fail "$n: hang message: $(grep -A1 'error hang' "$W/$n.txt")"; }
	grep -q "root cause: ${CB:-an atexit callback} (\"[^\"]*py_blocks_in_call.py\", line [0-9]* in flush_metrics) does not return: thread [0-9]* (python3), at \"[^\"]*py_blocks_in_call.py\", line [0-9]* in \(wait_for_ack\|\(prepare\.<locals>\.\)\?<lambda>\), $HOW" "$W/$n.txt" ||
		fail "$n: root cause: $(grep -A4 'error hang' "$W/$n.txt")"
	grep -q "fix: *${FIX-an atexit callback that waits must have a bound}" "$W/$n.txt" || fail "$n: fix: $(grep -A5 'error hang' "$W/$n.txt" | grep fix:)"
}

# py_teardown_block_checks KIND WHERE: after py_teardown_block_run, what every such hang shows:
# killed by the runner, a hang_arm py_fin_stack line, three complete snapshots, a hang finding in
# Py_FinalizeEx on the main thread with the waiting Python frame (wait_forever) in its snapshot,
# the same in the JSON
py_teardown_block_checks() {
	local n=$1-$2
	[ $RC = 137 ] || fail "$n: status $RC: $(cat "$W/$n.err")"
	grep -Eq " hang_arm py_fin_stack $H\$" "$W/$n.trace" || fail "$n: no hang_arm py_fin_stack (the teardown was not seen)"
	[ "$(grep -c ' hang_end ' "$W/$n.trace")" -ge 3 ] || fail "$n: $(grep -c ' hang_end ' "$W/$n.trace") complete snapshots"
	grep -Eq "^\\[[0-9]+\\] error hang " "$W/$n.txt" || { cat "$W/$n.txt"; fail "$n: no hang finding"; }
	grep -A1 "error hang" "$W/$n.txt" | grep -q "still in its teardown [0-9.]* s after it began (Py_FinalizeEx" ||
		fail "$n: hang message: $(grep -A1 'error hang' "$W/$n.txt")"
	grep -A2 "error hang" "$W/$n.txt" | grep -q "^    phase: *Py_FinalizeEx" || fail "$n: phase: $(grep -A2 'error hang' "$W/$n.txt")"
	grep -q "File \"[^\"]*py_blocks_in_teardown.py\", line [0-9]* in wait_forever" "$W/$n.txt" ||
		{ cat "$W/$n.txt"; fail "$n: no Python frame of the waiting code"; }
	$PY - "$W/$n.json" <<'PYEOF' || fail "$n: JSON"
import json, sys
doc = json.load(open(sys.argv[1]))
hang = [f for f in doc["findings"] if f["kind"] == "hang"]
assert len(hang) == 1, [f["kind"] for f in doc["findings"]]
main = [t for t in hang[0]["threads"] if t["tid"] == hang[0]["tid"]]
assert main and hang[0]["tid"] == doc["processes"][0]["pid"], hang[0]
assert any("in wait_forever" in l for l in main[0]["python_traceback"]), main
PYEOF
}

# seccomp_outcome FILTER NAME CMD...: CMD under tests/src/seccomp_exec.c's FILTER (a filter
# inherited across exec, as systemd puts one; the caller builds seccomp_exec) without the shim
# ($W/NAME.plain.out, PLAIN_RC) and with it ($W/NAME.trace, .out, TRACED_RC); same_outcome (t314, t315)
seccomp_outcome() {
	local f=$1 n=$2
	shift 2
	plain "$n" "$BIN/seccomp_exec" "$f" "$@"; PLAIN_RC=$RC
	rm -f "$W/$n.trace"
	"$BIN/seccomp_exec" "$f" env LD_PRELOAD="$SHIM" TLSTRACE_FILE="$W/$n.trace" "$@" >"$W/$n.out" 2>"$W/$n.err"
	TRACED_RC=$?
	[ -s "$W/$n.trace" ] || fail "$n: no trace (status $TRACED_RC)"
	same_outcome "$n"
}

# seccomp_hung FILTER NAME CMD...: as seccomp_outcome, for a CMD that prints "ready" and then
# hangs in its teardown: SIGKILLed once it printed "ready" (without the shim) and once the
# watchdog's first snapshot is complete (with it, TLSTRACE_HANG_MS=$H); both must be 137
seccomp_hung() {
	local f=$1 n=$2 pid
	shift 2
	"$BIN/seccomp_exec" "$f" "$@" >"$W/$n.plain.out" 2>"$W/$n.plain.err" &
	pid=$!
	wait_for $pid 30 "ready from $n" has_lines "$W/$n.plain.out" 1 ready
	kill -KILL $pid 2>/dev/null
	wait $pid
	PLAIN_RC=$?
	rm -f "$W/$n.trace"
	"$BIN/seccomp_exec" "$f" env LD_PRELOAD="$SHIM" TLSTRACE_HANG_MS=$H TLSTRACE_FILE="$W/$n.trace" "$@" >"$W/$n.out" 2>"$W/$n.err" &
	pid=$!
	wait_for $pid 60 "a complete snapshot from $n" has_lines "$W/$n.trace" 1 " hang_end 1"
	kill -KILL $pid 2>/dev/null
	wait $pid
	TRACED_RC=$?
	[ $PLAIN_RC = 137 ] || fail "$n: status $PLAIN_RC without the shim"
	same_outcome "$n"
}

# py_flag_del_app: tests/src/py_flag_del_loop.py as $W/app.py, its process ended by pid at the
# test's end (it writes app.pid in $W; the SIGKILL that ends a run may not come: a safety net)
py_flag_del_app() {
	cp "$ROOT/tests/src/py_flag_del_loop.py" "$W/app.py"
	trap py_flag_del_end EXIT
}
# py_flag_del_run HANG_MS UNTIL: the app, the child of a traced bash (trace $W/t.trace, with
# TLSTRACE_HANG_MS), sent SIGTERM once ready, then SIGKILL once UNTIL holds: "del" (it printed
# that its __del__ runs) or "snap" (the trace has the watchdog's first complete snapshot of it);
# safety nets of 30 s each. Its status into $W/rc.
py_flag_del_run() {
	TLSTRACE_HANG_MS=$1 LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/t.trace bash -c '
		cd "$1" || exit
		"$2" app.py >app.out 2>&1 &
		p=$!
		n=0
		until grep -q ready app.out 2>/dev/null; do sleep 0.02; n=$((n + 1)); [ $n -lt 1500 ] || break; done
		kill -TERM $p
		n=0
		if [ "$3" = del ]; then
			until grep -q "in del" app.out 2>/dev/null; do sleep 0.02; n=$((n + 1)); [ $n -lt 1500 ] || break; done
		else
			until grep -q "^$p [0-9]* [0-9]* . hang_end 1$" t.trace 2>/dev/null; do sleep 0.02; n=$((n + 1)); [ $n -lt 1500 ] || break; done
		fi
		kill -KILL $p
		wait $p
		echo $? >rc' run "$W" "$PY" "$2" >/dev/null 2>&1
}
py_flag_del_end() {
	local p
	[ -e "$W/app.pid" ] || return
	p=$(cat "$W/app.pid")
	grep -q "app.py" "/proc/$p/cmdline" 2>/dev/null && kill -KILL "$p" 2>/dev/null
}

# unread_pipe_run SIG N CMD...: CMD under the shim (TLSTRACE_HANG_MS=300, trace $W/t.trace, stderr
# $W/err) with its stdout a fifo whose reader (a sleep) never reads it, so its writes block once
# the pipe is full; once N hang snapshots are complete, SIG to it; sets PID and RC (its status),
# the reader ended. Then the report in $W/report (t415, t420).
unread_pipe_run() {
	local sig=$1 n=$2 rpid
	shift 2
	mkfifo "$W/fifo" || fail "mkfifo"
	sleep 300 <"$W/fifo" &
	rpid=$!
	rm -f "$W/t.trace"
	TLSTRACE_HANG_MS=300 LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/t.trace "$@" >"$W/fifo" 2>"$W/err" &
	PID=$!
	wait_for $PID 60 "$n complete snapshots" has_lines "$W/t.trace" $n ' hang_end '
	kill -$sig $PID
	wait $PID
	RC=$?
	kill $rpid
	wait $rpid 2>/dev/null
	"$REPORT" --color=never "$W/t.trace" >"$W/report" 2>&1
}
