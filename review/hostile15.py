# hostile15.py MODE: Python atexit callbacks that wait (sleep cut by a SIGALRM exception, select,
# sigtimedwait of RT signals, a join, a socket timeout) past TLSTRACE_HANG_MS. review/run-hostile15.sh
import atexit, os, signal, sys, time, select, threading, socket
m = sys.argv[1]
def out(*a): print(*a, flush=True)
if m == "alarm_sleep":
    def h(s, f): raise TimeoutError("alarm")
    signal.signal(signal.SIGALRM, h)
    def cb():
        signal.setitimer(signal.ITIMER_REAL, 2.5)
        t = time.monotonic()
        try: time.sleep(4)
        except TimeoutError as e: out("sleep cut by", e, round(time.monotonic() - t))
    atexit.register(cb)
elif m == "select_timeout":
    def cb():
        r, w = os.pipe()
        t = time.monotonic()
        x = select.select([r], [], [], 3)
        out("select", x, round(time.monotonic() - t))
    atexit.register(cb)
elif m == "sigtimedwait":
    def cb():
        signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR1, signal.SIGRTMAX, signal.SIGRTMIN + 3])
        t = time.monotonic()
        x = signal.sigtimedwait([signal.SIGUSR1, signal.SIGRTMAX, signal.SIGRTMIN + 3], 3)
        out("sigtimedwait", x, round(time.monotonic() - t))
    atexit.register(cb)
elif m == "sigwait_thread":
    signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGTERM, signal.SIGRTMAX])
    got = []
    def w():
        got.append(signal.sigwait([signal.SIGTERM, signal.SIGRTMAX]))
    t = threading.Thread(target=w); t.start()
    def cb():
        time.sleep(3)
        os.kill(os.getpid(), signal.SIGTERM)
        t.join()
        out("thread got", got)
    atexit.register(cb)
elif m == "thread_join_timeout":
    ev = threading.Event()
    t = threading.Thread(target=lambda: ev.wait(3.0)); t.start()
    def cb():
        t0 = time.monotonic(); t.join(); out("joined", round(time.monotonic() - t0))
    atexit.register(cb)
elif m == "socket_timeout":
    def cb():
        a, b = socket.socketpair(); a.settimeout(3)
        t0 = time.monotonic()
        try: a.recv(1)
        except socket.timeout: out("recv timed out", round(time.monotonic() - t0))
    atexit.register(cb)
out("main done")
