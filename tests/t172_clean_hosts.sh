#!/bin/bash
# t172: zero findings on clean runs of every host in its default configuration, with an app that
# has no teardown bug but every ingredient of one (tests/apps/clean_app.py: a C++ extension's
# thread_local with a destructor used by each request, libstdc++ loaded, a daemon thread, a Python
# atexit callback): python3 (the app used from the main thread and another), uWSGI (master and two
# workers, threads enabled, stopped with SIGINT: the workers finalize Python from an atexit handler
# after exit() destroyed their thread_locals, a hazardous order that does no harm here: no
# finding), Apache + mod_wsgi (prefork, event MPM, daemon mode), gunicorn (sync, gthread). For each,
# the report exits 0 with "0 findings" and a JSON document without findings or groups. Runs on
# Debian 12 and, through tests/chroot, on Debian 13 and unstable.
# timeout: 600
. "$(dirname "$0")/lib.sh"
export UAPP=clean_app
ext=$(build_pyext seedext seedext.cc)
PYTHONPATH=$ext:$ROOT/tests/apps traced py $PY -c '
import threading, clean_app
app = lambda: clean_app.application({}, lambda *a: None)
t = threading.Thread(target=app)
t.start()
t.join()
print(app()[0].split(b" pid")[0].decode())'
[ "$RC" = 0 ] || fail "python3 exited $RC"
grep -q "^touch 1$" "$W/py.out" && grep -q "^clean_app at_exit$" "$W/py.out" || fail "python3: the app did not run"
expect_no_findings py python3
hosts="python3"

if command -v uwsgi >/dev/null; then
	# (both workers forked before the stop: the first one alone answers HTTP, and on a busy
	# machine the second came after the SIGINT once, in trixie's chroot)
	uwsgi_start uwsgi --processes 2 --enable-threads
	uwsgi_forks 2
	uwsgi_get
	uwsgi_stop INT
	[ $RC = 0 ] || fail "uWSGI: the master exited $RC"
	[ "$(grep -c "^clean_app at_exit$" "$W/uwsgi.log")" = 2 ] || fail "uWSGI: the workers did not finalize Python"
	expect_no_findings uwsgi "uWSGI (master and workers)"
	hosts="$hosts uwsgi"
fi

if [ -x /usr/sbin/apache2 ] && [ -e /usr/lib/apache2/modules/mod_wsgi.so ]; then
	for mode in prefork event daemon; do
		apache_run apache-$mode $mode
		[ $RC = 0 ] || fail "mod_wsgi $mode: Apache exited $RC"
		grep -q "^touch [0-9]" "$W/apache-$mode.out" || fail "mod_wsgi $mode: no response"
		expect_no_findings apache-$mode "mod_wsgi $mode (every process)"
	done
	hosts="$hosts mod_wsgi"
fi

if $PY -c 'import gunicorn' 2>/dev/null; then
	gunicorn_run gunicorn-sync TERM sync
	[ $RC = 0 ] || fail "gunicorn sync: exited $RC"
	expect_no_findings gunicorn-sync "gunicorn sync (every process)"
	gunicorn_run gunicorn-gthread TERM gthread --threads 2
	[ $RC = 0 ] || fail "gunicorn gthread: exited $RC"
	expect_no_findings gunicorn-gthread "gunicorn gthread (every process)"
	hosts="$hosts gunicorn"
fi
note "0 findings: $hosts"
