# review/alloc.py MODE: python3 fork shapes under a preloaded allocator (kind 04)
import os, sys, threading, subprocess
m = sys.argv[1]
def work():
    x = [bytearray(100 + i) for i in range(2000)]
if m == "fork_threads":
    ts = [threading.Thread(target=work) for _ in range(3)]
    for t in ts: t.start()
    pid = os.fork()
    if pid == 0:
        cs = [threading.Thread(target=work) for _ in range(3)]
        for t in cs: t.start()
        for t in cs: t.join()
        os._exit(3)
    for t in ts: t.join()
    print("child", os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
elif m == "fork_sysexit":
    pid = os.fork()
    if pid == 0:
        work()
        sys.exit(4)      # the child finalizes Python
    print("child", os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
elif m == "subprocess":
    print(subprocess.run(["/bin/sh", "-c", "echo hi; exit 5"], capture_output=True))
    print(subprocess.run(["/bin/true"], close_fds=False, restore_signals=False).returncode)
elif m == "mp":
    import multiprocessing as mp
    ctx = mp.get_context("fork")
    with ctx.Pool(2) as p:
        print(sum(p.map(abs, range(-100, 100))))
