#!/bin/bash
# tests/lib/uwsgi_idle.sh MASTER [SECONDS] - wait until every worker of the uWSGI master MASTER
# (its child processes) is back waiting for the next request, i.e. no longer marked busy; at most
# SECONDS (default 30: a safety net, not a measure). Exit 0 when they are, 1 (with a message on
# stderr naming the busy ones) when the time ran out. Used by make demo (tests/demo/run) and by
# the cases' uwsgi_get (tests/lib.sh) after a request, before a stop.
#
# Why: a worker stopped while busy skips the Python atexit hooks and Py_Finalize (uWSGI 2.0.21
# plugins/python/python_plugin.c uwsgi_python_atexit: "if busy do not run atexit hooks",
# uwsgi_worker_is_busy(): a core's in_request, or a uWSGI signal handler running). The core's
# in_request is cleared last in uwsgi_close_request (core/utils.c), after the connection is closed
# and the after-request hooks ran, so a client can have its whole response while the worker is
# still busy. After it, the worker goes back to wsgi_req_accept, which sleeps in epoll_wait
# (event_queue_wait) for the next request; the request itself never waits there (its writes poll
# with poll(2)). So a worker seen asleep in epoll_wait after the client got its response has
# cleared in_request. Seen from /proc: the kernel function it sleeps in (wchan: do_epoll_wait, or
# ep_poll on older kernels) or, where wchan is hidden (it reads 0), the system call it sleeps in
# (/proc/PID/syscall: epoll_wait 232 / epoll_pwait 281 on x86_64, epoll_pwait 22 on aarch64,
# epoll_pwait2 441 on both). A worker that is gone or a zombie is not busy either.
master=$1
limit=${2:-30}

# idle PID: PID is asleep waiting for a request, gone, or a zombie
idle() {
	local st w nr rest
	st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) || return 0
	[ -n "$st" ] || return 0
	case ${st%% *} in Z | X) return 0 ;; S) ;; *) return 1 ;; esac
	w=$(cat "/proc/$1/wchan" 2>/dev/null)
	case $w in *epoll_wait* | ep_poll*) return 0 ;; esac
	[ -z "$w" ] || [ "$w" = 0 ] || return 1
	read -r nr rest <"/proc/$1/syscall" 2>/dev/null || return 1
	case $(uname -m):$nr in x86_64:232 | x86_64:281 | aarch64:22 | *:441) return 0 ;; esac
	return 1
}

end=$((SECONDS + limit))
while :; do
	busy=
	for p in $(pgrep -P "$master"); do
		idle "$p" || busy="$busy $p"
	done
	[ -z "$busy" ] && exit 0
	if [ $SECONDS -ge $end ]; then
		echo "uwsgi_idle: uWSGI worker(s)$busy of master $master not back waiting for a request after $limit s" >&2
		exit 1
	fi
	sleep 0.02
done
