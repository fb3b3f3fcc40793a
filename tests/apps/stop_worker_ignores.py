# A service whose atexit callback stops its worker with terminate() and waits for it with no
# timeout; the worker ignores SIGTERM (signal.SIG_IGN in its main code: python3 -c), so the wait
# never returns (FRESH17's child.py; t467). Prints the worker's pid, then "serving".
import atexit
import signal
import subprocess
import sys
import time

worker = subprocess.Popen([sys.executable, "-c",
                           "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(60)"])


def stop_worker():
    worker.terminate()
    worker.wait()  # no timeout: the worker ignores SIGTERM


atexit.register(stop_worker)
signal.signal(signal.SIGTERM, lambda s, f: sys.exit(0))
print(worker.pid, flush=True)
print("serving", flush=True)
time.sleep(60)
