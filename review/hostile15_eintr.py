# hostile15_eintr.py main|atexit: Python waits (sleep, select, poll, epoll, recv, sigtimedwait) cut by SIGALRM and SIGUSR1 handlers, in main and in an atexit callback. review/run-hostile15.sh
import atexit, os, select, signal, socket, sys, time, threading
hits = []
signal.signal(signal.SIGALRM, lambda s, f: hits.append(s))
signal.signal(signal.SIGUSR1, lambda s, f: hits.append(s))
def arm(k):
    if k == 0: signal.setitimer(signal.ITIMER_REAL, 0.05)
    else:
        pid = os.getpid()
        threading.Thread(target=lambda: (time.sleep(0.05), os.kill(pid, signal.SIGUSR1)), daemon=True).start()
def body(where):
    for k in (0, 1):
        r, w = os.pipe()
        def t(name, f):
            arm(k); t0 = time.monotonic(); res = f(); dt = time.monotonic() - t0
            print(where, k, name, res, "0.5s" if 0.45 < dt < 1.5 else "short %.2f" % dt, flush=True)
        t("sleep", lambda: time.sleep(0.5))
        t("select", lambda: select.select([r], [], [], 0.5))
        p = select.poll(); p.register(r, select.POLLIN)
        t("poll", lambda: p.poll(500))
        e = select.epoll(); e.register(r, select.EPOLLIN)
        t("epoll", lambda: e.poll(0.5))
        a, b = socket.socketpair(); a.settimeout(0.5)
        def rcv():
            try: return a.recv(1)
            except socket.timeout: return "timeout"
        t("recv", rcv)
        t("sigtimedwait", lambda: signal.sigtimedwait([signal.SIGTERM], 0.5))
        os.close(r); os.close(w); a.close(); b.close(); e.close()
    print(where, "handler hits", len(hits), flush=True)
if sys.argv[1] == "atexit": atexit.register(body, "atexit")
else: body("main")
