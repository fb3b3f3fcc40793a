"""popen_poll.py: Popen.terminate() then Popen.wait(timeout=...) on a child that ignores
SIGTERM (t211). wait(timeout) polls os.waitpid(pid, WNOHANG) with growing sleeps (at most 50 ms).
Argument: "pid" (the default) waits for the child; "gone" waits with a timeout of 0.3 s, then
kills it (SIGKILL) and waits again: ends with status 0; "untold" waits for it with a timeout of
100 s without terminate() (t231: a run of empty polls of one child).
The child is Python, not a shell: it says "ready" only once SIGTERM is ignored."""
import subprocess
import sys

mode = sys.argv[1] if len(sys.argv) > 1 else "pid"
child = subprocess.Popen(
    [sys.executable, "-c", "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
     "print('ready', flush=True); time.sleep(100)"], stdout=subprocess.PIPE)
child.stdout.readline()
print("child", child.pid, "ready", flush=True)
if mode != "untold":
    child.terminate()
print("polling", flush=True)
if mode == "gone":
    try:
        child.wait(timeout=0.3)
    except subprocess.TimeoutExpired:
        child.kill()
    sys.exit(0 if child.wait() == -9 else 1)
child.wait(timeout=100)
