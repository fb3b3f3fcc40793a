# A gunicorn config file (t419): a worker_exit hook that sleeps 60 s, as one that waits for a
# flush that never comes; gunicorn runs it in the worker (Arbiter.spawn_worker's finally) after
# the worker's loop ended, and the arbiter sends SIGKILL after graceful_timeout (3 s here).
import sys
import time

graceful_timeout = 3


def worker_exit(server, worker):
    print("worker_exit hook began", file=sys.stderr, flush=True)
    time.sleep(60)
