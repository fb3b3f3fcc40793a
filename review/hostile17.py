"""hostile17.py MODE: python3 programs of kinds HOSTILE15-16 had not tried (issue 14):
multiprocessing's forkserver and spawn start methods, subprocess's preexec_fn (and one that
raises), a SIGPROF profiler (signal.setitimer), faulthandler.register (chained or not),
signal.pthread_kill of a thread, pthread_sigmask in a thread at exit, a C-stack overflow by
recursion, threading.excepthook calling os._exit, os._exit and SIGKILL from atexit,
os.posix_spawn with setsigdef, RLIMIT_NPROC then subprocess. review/run-hostile17.sh"""
import atexit, faulthandler, multiprocessing as mp, os, signal, subprocess, sys, threading, time


def sq(x):
    return x * x


def main(mode):
    if mode in ("forkserver", "spawn"):
        ctx = mp.get_context(mode)
        with ctx.Pool(2) as p:
            print(p.map(sq, range(6)))
        q = ctx.Process(target=os._exit, args=(3,))
        q.start(); q.join(); print("exitcode", q.exitcode)
        q = ctx.Process(target=os.kill, args=(0, 0)); q.start(); q.join(); print("exitcode", q.exitcode)
    elif mode == "preexec":
        r = subprocess.run(["sh", "-c", "trap -p; echo $$ > /dev/null; exit 3"],
                           preexec_fn=lambda: signal.signal(signal.SIGTERM, signal.SIG_IGN))
        print("rc", r.returncode)
        r = subprocess.run(["sh", "-c", "kill -TERM $$; echo survived"], preexec_fn=lambda: signal.signal(signal.SIGTERM, signal.SIG_IGN))
        print("rc", r.returncode)
    elif mode == "preexec_fail":
        try:
            subprocess.run(["true"], preexec_fn=lambda: 1 / 0)
        except subprocess.SubprocessError as e:
            print("raised", type(e).__name__, e)
    elif mode == "setitimer_prof":
        ticks = [0]
        def prof(s, f):
            ticks[0] += 1
        signal.signal(signal.SIGPROF, prof)
        signal.setitimer(signal.ITIMER_PROF, 0.001, 0.001)
        t0 = time.process_time()
        while ticks[0] < 30:
            sum(range(1000))
        print("ticks >= 30")
        # exits with the profiler still ticking
    elif mode in ("fh_register", "fh_register_chain"):
        got = []
        signal.signal(signal.SIGUSR1, lambda s, f: got.append(s))
        faulthandler.register(signal.SIGUSR1, file=sys.stdout, all_threads=False, chain=mode.endswith("chain"))
        os.kill(os.getpid(), signal.SIGUSR1)
        time.sleep(0.05)
        print("python handler ran", len(got))
        faulthandler.unregister(signal.SIGUSR1)
        os.kill(os.getpid(), signal.SIGUSR1)
        time.sleep(0.05)
        print("after unregister", len(got))
    elif mode == "pthread_kill_thread":
        ev = threading.Event()
        def t():
            signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR2])
            ev.set()
            print("waited", signal.sigwait([signal.SIGUSR2]))
        th = threading.Thread(target=t); th.start(); ev.wait()
        signal.pthread_kill(th.ident, signal.SIGUSR2); th.join()
        signal.signal(signal.SIGUSR1, lambda s, f: print("usr1 in main"))
        signal.pthread_kill(threading.main_thread().ident, signal.SIGUSR1)
        print("done")
    elif mode == "sigmask_thread_exit":
        # a non-daemon thread with every signal blocked still running when main returns
        def t():
            signal.pthread_sigmask(signal.SIG_BLOCK, signal.valid_signals())
            time.sleep(0.3)
            print("thread done", sorted(signal.pthread_sigmask(signal.SIG_BLOCK, [])) == sorted(signal.valid_signals()))
        threading.Thread(target=t).start()
        print("main returns")
    elif mode == "recursion_segv":
        # the C stack overflows (3.11: no C recursion check for this path): SIGSEGV
        sys.setrecursionlimit(10 ** 8)
        def f(n):
            return f(n + 1) + 1
        faulthandler.disable()
        sys.stdout.flush()
        import functools
        g = functools.lru_cache(None)(lambda n: g(n + 1))
        g(0)
    elif mode == "excepthook_exit":
        threading.excepthook = lambda a: (print("hook", a.exc_type.__name__), sys.stdout.flush(), os._exit(4))
        threading.Thread(target=lambda: 1 / 0).start()
        time.sleep(5)
    elif mode == "atexit_os_exit":
        atexit.register(lambda: (print("second"), sys.stdout.flush(), os._exit(5)))
        atexit.register(lambda: print("first"))
        threading.Thread(target=time.sleep, args=(0.1,)).start()
    elif mode == "atexit_kill9":
        atexit.register(lambda: (sys.stdout.flush(), os.kill(os.getpid(), signal.SIGKILL)))
        print("main done")
    elif mode == "posix_spawn_sigdef":
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        pid = os.posix_spawn("/bin/sh", ["sh", "-c", "grep -E '^Sig(Ign|Blk)' /proc/self/status"], os.environ,
                             setsigdef=[signal.SIGINT], setsigmask=[signal.SIGUSR1])
        print(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
        pid = os.posix_spawn("/bin/sh", ["sh", "-c", "grep -E '^Sig(Ign|Blk)' /proc/self/status"], os.environ)
        print(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
    elif mode == "nproc_subprocess":
        import resource
        os.setgid(65534); os.setuid(65534)
        resource.setrlimit(resource.RLIMIT_NPROC, (2, 2))
        ps = []
        try:
            for i in range(10):
                ps.append(subprocess.Popen(["sleep", "5"]))
        except OSError as e:
            print("OSError errno", e.errno)
        for p in ps:
            p.kill(); p.wait()
        print("made", len(ps) > 0)
    else:
        sys.exit("unknown mode " + mode)


if __name__ == "__main__":
    main(sys.argv[1])
