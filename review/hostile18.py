# hostile18.py MODE: HOSTILE18's Python 3.11 programs (issue 14), kinds not tried before.
# review/run-hostile18.sh compares each with and without the shim.
import atexit, os, signal, sys, threading, time

m = sys.argv[1]
if m == "setitimer_exit":
    # ITIMER_REAL every ms with a Python handler, through the interpreter's exit and an atexit callback
    n = [0]
    def h(s, f): n[0] += 1
    signal.signal(signal.SIGALRM, h)
    signal.setitimer(signal.ITIMER_REAL, 0.001, 0.001)
    def at():
        t = time.monotonic()
        while time.monotonic() - t < 0.05:
            time.sleep(0.001)
        print("atexit ticks", n[0] > 0)
    atexit.register(at)
elif m == "setitimer_sysexit":
    # the handler raises SystemExit(7) at its first tick, during an atexit callback's sleep
    def h(s, f): sys.exit(7)
    class At:  # (a repr without an address: the ignored exception's line names it)
        def __repr__(self): return "<at>"
        def __call__(self):
            signal.signal(signal.SIGALRM, h)
            signal.setitimer(signal.ITIMER_REAL, 0.02)
            time.sleep(5)
            print("not reached")
    atexit.register(At())
elif m == "timer_thread":
    # a threading.Timer due during the exit join
    t = threading.Timer(0.1, lambda: print("timer fired", flush=True))
    t.start()
    print("main done")
elif m == "affinity":
    os.sched_setaffinity(0, {0})
    out = []
    ts = [threading.Thread(target=lambda: out.append(len(os.sched_getaffinity(0)))) for _ in range(3)]
    for t in ts: t.start()
    for t in ts: t.join()
    print("threads", out, "main", len(os.sched_getaffinity(0)))
elif m == "stdout_closed":
    # stdout's descriptor closed under the interpreter: its flush at exit fails (exit 120)
    print("lost")
    os.close(1)
elif m == "sigpipe_print":
    # stdout a pipe whose reader is gone: BrokenPipeError at the flush in exit
    r, w = os.pipe()
    os.close(r)
    os.dup2(w, 1)
    print("x" * 10)
elif m == "posix_spawn_sigmask_term":
    # a child spawned with SIGTERM blocked (setsigmask) and one with SIGTERM reset (setsigdef)
    # after the parent ignores it; each then sent SIGTERM
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    code = "import os,signal,time; os.kill(os.getpid(), signal.SIGTERM); time.sleep(0.05); print('child alive', signal.SIGTERM in signal.sigpending())"
    for kw in ({"setsigmask": [signal.SIGTERM]}, {"setsigdef": [signal.SIGTERM]}):
        pid = os.posix_spawn(sys.executable, [sys.executable, "-c", code], os.environ, **kw)
        print(list(kw), os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]), flush=True)
elif m == "pthread_sigmask_exit":
    # the main thread blocks SIGTERM and exits with a SIGTERM pending (never delivered)
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    os.kill(os.getpid(), signal.SIGTERM)
    print("pending", signal.SIGTERM in signal.sigpending())
elif m == "daemon_thread_exit":
    # a daemon thread in time.sleep and one printing at the finalization
    def spin():
        while True:
            print("tick", flush=True) if False else time.sleep(0.001)
    threading.Thread(target=spin, daemon=True).start()
    time.sleep(0.02)
    print("main exits")
elif m == "fork_in_handler_exit":
    # SIGUSR1's Python handler forks; the child exits 4 through sys.exit, the parent 0
    def h(s, f):
        pid = os.fork()
        if pid == 0:
            sys.exit(4)
        print("child", os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
    signal.signal(signal.SIGUSR1, h)
    os.kill(os.getpid(), signal.SIGUSR1)
else:
    sys.exit(2)
