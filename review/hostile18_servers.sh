#!/bin/bash
# hostile18_servers.sh MODE: servers under a reload (HOSTILE18), on a free loopback port:
#  gunicorn_hup   gunicorn 20.1 (/usr/bin/python3 -m gunicorn) --preload --workers 4: a request,
#                 SIGHUP (workers replaced), a request, SIGTERM; prints the answers, how many
#                 workers booted (8 expected: 4 + 4) and the arbiter's exit status
#  apache_graceful Apache 2.4 + mod_wsgi daemon mode (WSGIDaemonProcess, event MPM): a request,
#                 `apache2 -k graceful` (SIGUSR1), a request, `-k stop`; prints the answers and the
#                 parent's exit status
# The processes it starts are ended by pid (the parent's, and its process group's for Apache).
D=$(mktemp -d /tmp/h18srv.XXXXXX); chmod 755 "$D"
trap 'rm -rf "$D"' EXIT
cat >"$D/app.py" <<'PY'
import os, atexit
atexit.register(lambda: None)
def application(env, start):
    start("200 OK", [("Content-Type", "text/plain")])
    return [b"ok " + env["PATH_INFO"].encode() + b"\n"]
PY
chmod 644 "$D/app.py"
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
get() { for i in $(seq 100); do r=$(curl -s --max-time 5 "http://127.0.0.1:$port/$1") && [ -n "$r" ] && { echo "$r"; return; }; sleep 0.1; done; echo "no answer $1"; }
case $1 in
gunicorn_hup)
	(cd "$D" && exec /usr/bin/python3 -m gunicorn --preload --workers 4 -b 127.0.0.1:$port app:application) 2>"$D/log" &
	m=$!
	get a
	kill -HUP $m
	for i in $(seq 100); do [ "$(grep -c 'Booting worker' "$D/log")" -ge 8 ] && break; sleep 0.1; done
	get b
	kill -TERM $m; wait $m; echo "arbiter exit $?"
	echo "booted $(grep -c 'Booting worker' "$D/log")"
	cat "$D/log" >&2;;
apache_graceful)
	cat >"$D/httpd.conf" <<CONF
ServerRoot $D
Listen 127.0.0.1:$port
ServerName 127.0.0.1
PidFile $D/httpd.pid
ErrorLog $D/error.log
DefaultRuntimeDir $D
Mutex file:$D default
User www-data
Group www-data
LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so
LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
LoadModule wsgi_module /usr/lib/apache2/modules/mod_wsgi.so
StartServers 1
ServerLimit 1
ThreadsPerChild 2
MaxRequestWorkers 2
WSGIDaemonProcess h18 processes=1 threads=2
WSGIProcessGroup h18
WSGISocketPrefix $D/wsgi
WSGIApplicationGroup %{GLOBAL}
WSGIScriptAlias / $D/app.py
<Directory $D>
Require all granted
</Directory>
CONF
	setsid /usr/sbin/apache2 -f "$D/httpd.conf" -DFOREGROUND >"$D/out" 2>&1 </dev/null &
	m=$!
	get a
	/usr/sbin/apache2 -f "$D/httpd.conf" -k graceful
	sleep 1
	get b
	/usr/sbin/apache2 -f "$D/httpd.conf" -k stop
	wait $m; echo "parent exit $?"
	kill -9 -- -$m 2>/dev/null # (its process group, if a child outlived it)
	cat "$D/error.log" >&2;;
*) exit 2;;
esac
