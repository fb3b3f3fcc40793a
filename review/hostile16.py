# hostile16.py MODE - python3: faulthandler.dump_traceback_later (its watchdog thread, exit=True),
# faulthandler.enable then a fatal SIGSEGV/SIGABRT, asyncio's add_signal_handler (set_wakeup_fd),
# pthread_sigmask + sigwait/sigtimedwait, os.register_at_fork, at start and at exit.
# review/run-hostile16.sh
import os, sys, signal, threading, faulthandler, time, atexit
mode = sys.argv[1]
def out(*a):
    print(*a, flush=True)
if mode == "dump_later":
    faulthandler.dump_traceback_later(0.3, exit=True, file=sys.stdout)
    time.sleep(5)
elif mode == "dump_later_atexit":
    atexit.register(lambda: (faulthandler.dump_traceback_later(0.3, exit=True, file=sys.stdout), time.sleep(5)))
elif mode == "dump_repeat":
    faulthandler.dump_traceback_later(0.05, repeat=True, file=open(os.devnull, "w"))
    t0 = time.time(); n = 0
    while time.time() - t0 < 0.5: n += 1
    faulthandler.cancel_dump_traceback_later(); out("ok")
elif mode in ("fh_segv", "fh_abort", "fh_term"):
    faulthandler.enable(file=sys.stdout, all_threads=False)
    import ctypes
    if mode == "fh_segv": ctypes.string_at(0)
    if mode == "fh_abort": os.abort()
    os.kill(os.getpid(), signal.SIGTERM)
elif mode == "asyncio":
    import asyncio
    async def main():
        loop = asyncio.get_running_loop(); got = asyncio.Event()
        loop.add_signal_handler(signal.SIGTERM, lambda: (out("SIGTERM handled"), got.set()))
        loop.add_signal_handler(signal.SIGINT, lambda: out("SIGINT handled"))
        p = await asyncio.create_subprocess_exec("sh", "-c", "sleep 0.1; kill -INT $PPID; sleep 0.1; kill -TERM $PPID")
        await got.wait(); out("child", await p.wait())
        loop.remove_signal_handler(signal.SIGTERM)
        out("after remove:", signal.getsignal(signal.SIGTERM))
    asyncio.run(main())
    out("wakeup fd after run", signal.set_wakeup_fd(-1))
elif mode == "sigwait":
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGUSR1, signal.SIGCHLD})
    pid = os.fork()
    if pid == 0:
        out("child mask", sorted(int(s) for s in signal.pthread_sigmask(signal.SIG_BLOCK, [])))
        os.kill(os.getppid(), signal.SIGUSR1); os._exit(3)
    out("sigwait", signal.sigwait({signal.SIGUSR1}).name)
    info = signal.sigtimedwait({signal.SIGCHLD}, 5); out("sigtimedwait", info.si_signo, info.si_status)
    os.waitpid(pid, 0)
    os.kill(os.getpid(), signal.SIGTERM)
    out("pending", sorted(int(s) for s in signal.sigpending()))
    if len(sys.argv) > 2:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM}); out("not reached")
elif mode == "at_fork":
    log = []
    os.register_at_fork(before=lambda: log.append("before"), after_in_parent=lambda: log.append("parent"),
                        after_in_child=lambda: out("child hook, threads", threading.active_count()))
    t = threading.Thread(target=time.sleep, args=(0.3,)); t.start()
    pid = os.fork()
    if pid == 0: os._exit(5)
    out("reaped", os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]), log)
    import multiprocessing as mp
    ctx = mp.get_context("fork")
    with ctx.Pool(2) as p: out("pool", p.map(abs, [-1, -2, -3]))
    t.join()
    def late():
        pid = os.fork()
        if pid == 0: out("fork in atexit child"); os._exit(0)
        out("atexit reaped", os.waitpid(pid, 0)[1], log)
    atexit.register(late)
elif mode == "wakeup_thread":
    # set_wakeup_fd and a signal arriving while the main thread is joining a thread at exit
    r, w = os.pipe(); os.set_blocking(w, False)
    signal.set_wakeup_fd(w); signal.signal(signal.SIGUSR1, lambda *a: out("usr1"))
    def t():
        time.sleep(0.2); os.kill(os.getpid(), signal.SIGUSR1); time.sleep(0.2)
    threading.Thread(target=t).start()
    out("main done")
    atexit.register(lambda: out("wakeup bytes", os.read(r, 16)))
