#!/bin/bash
# ways out of a process (review/exits.c), python3 exits
cd "$(dirname "$0")" && gcc -O1 -g -Wall -o exits exits.c -lpthread || exit 2
for m in quick_exit exit_in_atexit abort_in_atexit thread_exit_race exit_in_key_dtor _exit sigterm_dfl sigterm_blocked_then_exit fork_exit_both; do
	./cmp.sh exits_$m --crash -- ./exits $m
done
./cmp.sh exits_daemon -- /bin/sh -c './exits daemon; sleep 0.5'
./cmp.sh exits_py_thread_sys_exit -- /usr/bin/python3 -c 'import threading,sys; t=threading.Thread(target=sys.exit,args=(3,)); t.start(); t.join(); print("alive")'
./cmp.sh exits_py_os_exit_thread -- /usr/bin/python3 -c 'import threading,os; print("x", flush=True); threading.Thread(target=os._exit,args=(4,)).start(); import time; time.sleep(5)'
./cmp.sh exits_py_daemon_thread -- /usr/bin/python3 -c 'import threading,time; threading.Thread(target=time.sleep,args=(30,),daemon=True).start(); print("bye"); raise SystemExit(5)'
./cmp.sh exits_py_sigterm -- /usr/bin/python3 -c 'import os,signal; print("k", flush=True); os.kill(os.getpid(), signal.SIGTERM)'
./cmp.sh exits_py_kbint -- /usr/bin/python3 -c 'import os,signal; os.kill(os.getpid(), signal.SIGINT)'
./cmp.sh exits_py_faulthandler --crash -- /usr/bin/python3 -X faulthandler -c 'import ctypes; ctypes.string_at(0)'
