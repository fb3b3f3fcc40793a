#!/bin/bash
# hostile17_uwsgi.sh MODE: uWSGI (python3 plugin, master + 2 workers) with an option rarely used:
#  lazy_apps      --lazy-apps (the app loaded in each worker after fork), stopped by SIGINT
#  master_fifo    --master-fifo: 'q' (graceful stop) written to the fifo (a reload there, 'r' or 'c', hangs the master at times without the shim too)
#  reload_on_rss  --reload-on-rss 1 (each worker recycled after a request), then SIGINT
# Prints the responses and the master's exit status (its log, with pids and times, on stderr).
D=$(mktemp -d); trap 'rm -rf "$D"' EXIT
cat >"$D/app.py" <<'PY'
import os, atexit
atexit.register(lambda: None)
def application(env, start):
    start("200 OK", [("Content-Type", "text/plain")])
    return [b"ok " + env["PATH_INFO"].encode() + b"\n"]
PY
port=$((20000 + RANDOM % 20000))
opts=()
case $1 in
lazy_apps) opts=(--lazy-apps);;
master_fifo) opts=(--master-fifo "$D/fifo");;
reload_on_rss) opts=(--reload-on-rss 1);;
esac
uwsgi --plugin python3 --master --processes 2 --http-socket 127.0.0.1:$port --chdir "$D" --wsgi-file app.py \
	--die-on-term --need-app "${opts[@]}" 2>"$D/log" &
m=$!
get() { for i in $(seq 50); do r=$(curl -s "http://127.0.0.1:$port/$1") && { echo "$r"; return; }; sleep 0.1; done; echo "no answer $1"; }
get a; get b
if [ "$1" = master_fifo ]; then
	get c; echo q >"$D/fifo"
else
	get c; kill -INT $m
fi
wait $m; echo "master exit $?"
cat "$D/log" >&2
