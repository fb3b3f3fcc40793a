# tests/src/py_term_sleeps.py: a Python SIGTERM handler (on_term, line 5) that never returns,
# sleeping in a loop; prints "ready" once it is installed (t241, t312)
import signal, time
def on_term(signum, frame):
    print("got SIGTERM, cleaning up", flush=True)
    while True:
        time.sleep(3600)
signal.signal(signal.SIGTERM, on_term)
print("ready", flush=True)
while True:
    time.sleep(1)
