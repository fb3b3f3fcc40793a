# tests/apps/mule_poller.py: a uWSGI mule (--mule=PATH) that starts a non-daemon thread waiting for
# an Event nothing sets, prints "mule ready" to the server's log, and loops (t405).
import sys
import threading
import time

threading.Thread(target=threading.Event().wait, name="mule-poller").start()
print("mule ready", file=sys.stderr, flush=True)
while True:
    time.sleep(1)
