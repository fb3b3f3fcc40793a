# review/sigstate.py: Python's view of dispositions and mask, at start, after os.system, in a
# fork child, after subprocess
import os, signal, subprocess, sys
def show(tag):
    out = []
    for s in range(1, 65):
        try: h = signal.getsignal(s)
        except ValueError: h = "err"
        h = {signal.SIG_DFL: "DFL", signal.SIG_IGN: "IGN", None: "None"}.get(h, "FN" if callable(h) else str(h))
        out.append(f"{s}:{h}")
    m = sorted(int(x) for x in signal.pthread_sigmask(signal.SIG_BLOCK, []))
    print(tag, " ".join(out), "mask", m, flush=True)
show("start")
signal.signal(signal.SIGUSR1, lambda *a: None)
os.system("exit 0")
show("after_system")
pid = os.fork()
if pid == 0:
    show("child"); os._exit(0)
os.waitpid(pid, 0)
subprocess.run(["true"])
show("after_subprocess")
