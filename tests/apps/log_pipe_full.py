# t420: logging's atexit callback (logging.shutdown flushes and closes each handler under its lock)
# waits for a StreamHandler's lock, which a daemon thread holds while its emit writes to stdout, a
# pipe whose reader never reads: the write blocks once the pipe is full. "ready" on stderr once
# the pipe is full (a record's emit took more than a second), then the main code ends.
import logging
import sys
import threading
import time

log = logging.getLogger("app")
log.addHandler(logging.StreamHandler(sys.stdout))
log.setLevel(logging.INFO)
last = [time.monotonic()]


def chatter():
    while True:
        log.info("x" * 4000)
        last[0] = time.monotonic()


threading.Thread(target=chatter, name="chatter", daemon=True).start()
while time.monotonic() - last[0] < 1.0:
    time.sleep(0.1)
print("ready", file=sys.stderr, flush=True)
