# py_flag_del_loop.py - a SIGTERM handler that sets a flag (on_term); the main loop then ends and
# sys.exit() runs, and an object's __del__ prints "in del" and loops at the exit (t390, t392).
# Writes its pid to app.pid in the current directory, prints "ready" once the handler is set.
import os, signal, sys, time
open("app.pid", "w").write(str(os.getpid()))
stop = False
def on_term(signum, frame):
    global stop
    stop = True
signal.signal(signal.SIGTERM, on_term)
class Holder:
    def __del__(self):
        print("in del", flush=True)
        while True:
            pass
h = Holder()
print("ready", flush=True)
while not stop:
    time.sleep(0.05)
sys.exit()
