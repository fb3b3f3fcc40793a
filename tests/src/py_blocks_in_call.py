# tests/src/py_blocks_in_call.py KIND [handler|thread_atexit]: python3's own Py_FinalizeEx blocked on its main thread in an
# atexit callback (flush_metrics) whose one call never returns (issue 15, PY10; t317, t318). KIND,
# the call and what it waits for: read (os.read on a pipe whose write end stays open), readv
# (os.readv on one), input (input() with stdin such a pipe: sys.stdin.readline, not the tty's
# readline), recv, recv_into, recvfrom, recvmsg (a socketpair's end nothing is sent to), accept (a
# listening AF_UNIX socket nobody connects to), connect (an AF_UNIX listener whose backlog is full:
# the kernel makes a blocking connect wait for room), pause (signal.pause, no signal comes),
# sigwaitinfo (SIGUSR1 blocked, waited for, never sent), flock (fcntl.flock LOCK_EX on a file
# another open file description of this process holds), lockf (fcntl.lockf LOCK_EX, F_SETLKW, on a
# file a child holds), waitpid (os.waitpid of a child that never ends), eventfd, timerfd, inotify
# (os.read of an eventfd at 0, a timerfd never armed, an inotify instance watching nothing:
# anonymous inodes whose lseek succeeds, t333). A child (lockf, waitpid)
# dies with this process (PR_SET_PDEATHSIG) and prints "child PID" for the test to end it. Prints
# "ready" just before the call. With a second argument "handler": a Python SIGTERM handler that
# prints "handled 15" (t318: what a SIGTERM does to the call, as without the shim);
# "thread_atexit": the callback registered with threading._register_atexit instead (t317).
import atexit, ctypes, fcntl, os, signal, socket, sys, tempfile

kind = sys.argv[1]
keep = []  # what must stay open while the call waits (the pipe's write end, the peer socket)


def child_holding(fn):
    """a child that runs fn() then waits for its end; its pid printed"""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        fn()
        os.write(w, b"x")
        while True:
            signal.pause()
    os.read(r, 1)
    print("child %d" % pid, flush=True)
    return pid


def prepare():
    """the call of KIND, made ready to block: a function of no arguments"""
    if kind in ("read", "readv", "input"):
        r, w = os.pipe()
        keep.append(w)
        if kind == "read":
            return lambda: os.read(r, 1)
        if kind == "readv":
            return lambda: os.readv(r, [bytearray(1)])
        os.dup2(r, 0)
        return input
    if kind.startswith("recv"):
        a, b = socket.socketpair()
        keep.append(b)
        return {"recv": lambda: a.recv(1), "recv_into": lambda: a.recv_into(bytearray(1)),
                "recvfrom": lambda: a.recvfrom(1), "recvmsg": lambda: a.recvmsg(1)}[kind]
    if kind in ("accept", "connect"):
        path = os.path.join(tempfile.mkdtemp(), "s")
        srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        srv.bind(path)
        srv.listen(0)
        keep.append(srv)
        if kind == "accept":
            return srv.accept
        for _ in range(4):  # fill the backlog (0: one pending connection fits)
            c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            c.setblocking(False)
            try:
                c.connect(path)
            except BlockingIOError:
                break
            finally:
                keep.append(c)
        last = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        return lambda: last.connect(path)
    if kind == "pause":
        return signal.pause
    if kind == "sigwaitinfo":
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
        return lambda: signal.sigwaitinfo({signal.SIGUSR1})
    if kind in ("flock", "lockf"):
        f = tempfile.NamedTemporaryFile()
        keep.append(f)
        if kind == "flock":
            held = open(f.name, "rb")
            keep.append(held)
            fcntl.flock(held, fcntl.LOCK_EX)
            mine = open(f.name, "rb")
            return lambda: fcntl.flock(mine, fcntl.LOCK_EX)
        child_holding(lambda: fcntl.lockf(keep.append(open(f.name, "r+b")) or keep[-1], fcntl.LOCK_EX))
        mine = open(f.name, "r+b")
        keep.append(mine)
        return lambda: fcntl.lockf(mine, fcntl.LOCK_EX)
    if kind in ("eventfd", "timerfd", "inotify"):  # (anonymous inodes that seek: t333)
        libc = ctypes.CDLL(None, use_errno=True)
        fd = {"eventfd": lambda: os.eventfd(0), "timerfd": lambda: libc.timerfd_create(1, 0),  # CLOCK_MONOTONIC, not armed
              "inotify": libc.inotify_init}[kind]()
        if fd < 0:
            sys.exit("py_blocks_in_call.py: %s: errno %d" % (kind, ctypes.get_errno()))
        return lambda: os.read(fd, 8)
    if kind == "waitpid":
        pid = child_holding(lambda: None)
        return lambda: os.waitpid(pid, 0)
    sys.exit("py_blocks_in_call.py: unknown kind " + kind)


def wait_for_ack(call):
    print("ready", flush=True)
    call()


def flush_metrics():
    wait_for_ack(call)


call = prepare()  # (in the main code: a child forked here is in no teardown of its own)
if sys.argv[2:] == ["thread_atexit"]:  # threading._shutdown runs it, before the joins
    import threading
    threading._register_atexit(flush_metrics)
else:
    atexit.register(flush_metrics)
if sys.argv[2:] == ["handler"]:
    signal.signal(signal.SIGTERM, lambda sig, frame: print("handled", sig, flush=True))
