# hostile14.py - python3: set_wakeup_fd, faulthandler.register(chain), pthread_sigmask, posix_spawn(setsigdef/setsigmask), os.fork in threads, siginterrupt, SIGINT
import os, sys, signal, threading, faulthandler, time, select, socket
mode = sys.argv[1]
def out(*a):
    print(*a, flush=True)
if mode == "wakeup":
    r, w = os.pipe(); os.set_blocking(w, False)
    old = signal.set_wakeup_fd(w)
    out("old wakeup", old)
    got = []
    signal.signal(signal.SIGTERM, lambda s, f: got.append(s))
    signal.signal(signal.SIGUSR1, lambda s, f: got.append(s))
    for s in (signal.SIGTERM, signal.SIGUSR1, signal.SIGHUP):
        if s == signal.SIGHUP:
            signal.signal(s, signal.SIG_IGN)
        pid = os.fork()
        if pid == 0:
            os.kill(os.getppid(), s); os._exit(0)
        os.waitpid(pid, 0)
        select.select([r], [], [], 2 if s != signal.SIGHUP else 0.5)
        time.sleep(0.05)
        try:
            b = os.read(r, 100) if select.select([r], [], [], 0)[0] else b""
        except BlockingIOError:
            b = b""
        out("sig", int(s), "wakeup bytes", list(b), "handled", got)
    # wakeup on a socket, warn_on_full_buffer
    a, b2 = socket.socketpair(); a.setblocking(False)
    signal.set_wakeup_fd(a.fileno(), warn_on_full_buffer=False)
    signal.raise_signal(signal.SIGUSR1)
    out("socket wakeup", list(b2.recv(10)), got)
    # SIGTERM at default with a wakeup fd: dies
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(1); out("alive?")
elif mode == "faulthandler":
    faulthandler.register(signal.SIGUSR1, file=sys.stdout, all_threads=False, chain=False)
    os.kill(os.getpid(), signal.SIGUSR1)
    out("after usr1")
    got = []
    signal.signal(signal.SIGUSR2, lambda s, f: got.append(s))
    faulthandler.register(signal.SIGUSR2, file=sys.stdout, all_threads=False, chain=True)
    os.kill(os.getpid(), signal.SIGUSR2); time.sleep(0.1)
    out("chained", got)
    faulthandler.unregister(signal.SIGUSR2)
    out("getsignal usr2 is handler", callable(signal.getsignal(signal.SIGUSR2)))
    # chain onto SIG_DFL of SIGTERM: the process dies of SIGTERM after the dump
    faulthandler.register(signal.SIGTERM, file=sys.stdout, all_threads=False, chain=True)
    os.kill(os.getpid(), signal.SIGTERM); time.sleep(1)
    out("alive after TERM")
elif mode == "faultsegv":
    faulthandler.enable(file=sys.stdout)
    import ctypes
    out("x")
    ctypes.string_at(0)
elif mode == "sigmask":
    out("start", sorted(int(s) for s in signal.pthread_sigmask(signal.SIG_BLOCK, [])))
    old = signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGTERM, signal.SIGINT, signal.SIGUSR1])
    out("old", sorted(int(s) for s in old))
    def th():
        out("thread mask", sorted(int(s) for s in signal.pthread_sigmask(signal.SIG_BLOCK, [])))
    t = threading.Thread(target=th); t.start(); t.join()
    os.kill(os.getpid(), signal.SIGTERM)
    out("pending", sorted(int(s) for s in signal.sigpending()))
    info = signal.sigtimedwait([signal.SIGTERM], 1)
    out("waited", info.si_signo, info.si_code, info.si_pid == os.getpid())
    os.kill(os.getpid(), signal.SIGINT)
    out("sigwait", int(signal.sigwait([signal.SIGINT])))
    os.kill(os.getpid(), signal.SIGUSR1)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGUSR1])
    out("not reached")
elif mode == "spawn":
    signal.signal(signal.SIGUSR1, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda s, f: None)
    signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGHUP])
    prog = "import signal;print(sorted(int(s) for s in range(1,32) if s not in (9,19) and signal.getsignal(s) not in (signal.SIG_DFL, None)), sorted(int(s) for s in signal.pthread_sigmask(signal.SIG_BLOCK, [])))"
    for kw in ({}, {"setsigdef": [signal.SIGUSR1]}, {"setsigmask": []}, {"setsigmask": [signal.SIGINT], "setsigdef": range(1, 32)}, {"resetids": True, "setpgroup": 0}):
        kw = {k: (list(s for s in v if s not in (9, 19)) if k == "setsigdef" else v) for k, v in kw.items()}
        pid = os.posix_spawn(sys.executable, [sys.executable, "-c", prog], os.environ, **kw)
        _, st = os.waitpid(pid, 0)
        out(sorted(kw), os.waitstatus_to_exitcode(st))
    pid = os.posix_spawnp("sh", ["sh", "-c", "kill -TERM $$"], os.environ, setsigdef=[signal.SIGTERM])
    out("sh killed", os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
elif mode == "forkthreads":
    res = []
    lock = threading.Lock()
    def w(i):
        pid = os.fork()
        if pid == 0:
            threading.Thread(target=lambda: None).start()
            os._exit(i)
        _, st = os.waitpid(pid, 0)
        with lock: res.append(os.waitstatus_to_exitcode(st))
    ts = [threading.Thread(target=w, args=(i,)) for i in range(8)]
    [t.start() for t in ts]; [t.join() for t in ts]
    out(sorted(res))
    # fork while a thread holds the GIL-ish busy loop; child exits by sys.exit in a thread
    pid = os.fork()
    if pid == 0:
        def ex(): os._exit(7)
        threading.Thread(target=ex).start(); time.sleep(5); os._exit(1)
    out("child", os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
elif mode == "siginterrupt":
    signal.signal(signal.SIGALRM, lambda s, f: None)
    signal.siginterrupt(signal.SIGALRM, True)
    r, w = os.pipe()
    signal.setitimer(signal.ITIMER_REAL, 0.1)
    try:
        os.read(r, 1); out("read returned")
    except InterruptedError:
        out("EINTR")
    # PEP 475: python retries; with handler raising, exception propagates
    def boom(s, f): raise KeyError("boom")
    signal.signal(signal.SIGALRM, boom)
    signal.setitimer(signal.ITIMER_REAL, 0.1)
    try:
        time.sleep(3)
    except KeyError as e:
        out("sleep interrupted by", e)
    out("itimer", signal.getitimer(signal.ITIMER_REAL))
elif mode == "sigint":
    signal.signal(signal.SIGINT, signal.default_int_handler)
    def th():
        time.sleep(0.2); os.kill(os.getpid(), signal.SIGINT)
    threading.Thread(target=th).start()
    try:
        time.sleep(3)
    except KeyboardInterrupt:
        out("KeyboardInterrupt")
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    os.kill(os.getpid(), signal.SIGINT)
