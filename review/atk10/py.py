# py.py - python3 programs of the reliability kinds: multiprocessing start methods, os.posix_spawn,
# faulthandler, what the interpreter reads about itself. Mode in argv[1].
import os, sys, signal, resource, threading

def sq(x):
    return x * x

def state():
    print("mask", sorted(int(s) for s in signal.pthread_sigmask(signal.SIG_BLOCK, [])))
    print("handlers", [(s, str(signal.getsignal(s))) for s in (1, 2, 3, 13, 15, 11, 6)])
    print("nofile", resource.getrlimit(resource.RLIMIT_NOFILE))
    print("threads", threading.active_count(), len(os.listdir("/proc/self/task")))

if __name__ == "__main__":
    m = sys.argv[1]
    if m in ("spawn", "forkserver", "fork"):
        import multiprocessing as mp
        ctx = mp.get_context(m)
        with ctx.Pool(2) as p:
            print(p.map(sq, range(10)))
        q = ctx.Queue()
        pr = ctx.Process(target=os._exit, args=(13,))
        pr.start(); pr.join(); print("exitcode", pr.exitcode)
        pr = ctx.Process(target=os.kill, args=(os.getpid() if False else 0, 0))
        state()
        sys.exit(4)
    elif m == "ppe":
        from concurrent.futures import ProcessPoolExecutor
        with ProcessPoolExecutor(2) as ex:
            print(list(ex.map(sq, range(6))))
        sys.exit(3)
    elif m == "posix_spawn":
        pid = os.posix_spawn("/bin/sh", ["sh", "-c", "exit 9"], os.environ,
                             setsigmask=[signal.SIGTERM], setsigdef=[signal.SIGINT], resetids=True)
        print("status", os.waitpid(pid, 0)[1] >> 8)
        state()
    elif m == "faulthandler":
        import faulthandler, ctypes
        faulthandler.enable()
        print("enabled", faulthandler.is_enabled(), flush=True)
        ctypes.string_at(0)
    elif m == "state":
        state()
        signal.signal(signal.SIGTERM, lambda *a: None)
        t = threading.Thread(target=state); t.start(); t.join()
    elif m == "sigterm_self":
        signal.signal(signal.SIGTERM, lambda s, f: sys.exit(7))
        threading.Thread(target=lambda: os.kill(os.getpid(), signal.SIGTERM)).start()
        signal.pause() if hasattr(signal, "pause") else None
