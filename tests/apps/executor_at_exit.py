# tests/apps/executor_at_exit.py PIDFILE: a concurrent.futures ProcessPoolExecutor (fork) whose one
# worker is stuck in a task when the main code ends: concurrent.futures' exit hook waits for it in
# threading._shutdown (t400). The worker writes its pid to PIDFILE once it runs the task.
import concurrent.futures
import multiprocessing
import os
import sys
import time


def task(pidfile):
    with open(pidfile, "a") as f:
        f.write("%d\n" % os.getpid())
    time.sleep(600)


if __name__ == "__main__":
    executor = concurrent.futures.ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
    executor.submit(task, sys.argv[1])
    while not os.path.exists(sys.argv[1]):
        time.sleep(0.05)
