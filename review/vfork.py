# review/vfork.py MODE: python3 subprocess paths (vfork, posix_spawn, fork with preexec_fn)
import os, signal, subprocess, sys
m = sys.argv[1]
signal.signal(signal.SIGUSR1, lambda *a: print("usr1", flush=True))
kw = {"vfork": {}, "posix_spawn": {"close_fds": False, "restore_signals": False},
      "preexec": {"preexec_fn": lambda: signal.signal(signal.SIGUSR1, signal.SIG_IGN)},
      "restore": {"restore_signals": True, "start_new_session": True},
      "missing": {}}[m]
try:
    r = subprocess.run(["/nonexistent/x"] if m == "missing" else ["/bin/sh", "-c", "kill -USR1 $$; echo child; exit 3"], capture_output=True, **kw)
    print(r.returncode, r.stdout, r.stderr)
except FileNotFoundError as e:
    print("missing", e.errno)
os.kill(os.getpid(), signal.SIGUSR1)
print("mask", signal.pthread_sigmask(signal.SIG_BLOCK, []))
print([str(signal.getsignal(s)) for s in (1, 2, 3, 13, 15)])
