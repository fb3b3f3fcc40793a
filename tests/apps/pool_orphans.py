# tests/apps/pool_orphans.py PIDFILE: a multiprocessing pool (fork) whose two workers are stuck in
# a task; the main thread waits for them in pool.join() (t400). A SIGTERM kills this process
# there (no handler), and the workers are left running, orphaned. Writes the workers' pids, one a
# line, to PIDFILE once they run their tasks.
import multiprocessing
import os
import sys
import time


def task(pidfile):
    with open(pidfile, "a") as f:
        f.write("%d\n" % os.getpid())
    time.sleep(600)


if __name__ == "__main__":
    multiprocessing.set_start_method("fork")
    pool = multiprocessing.Pool(2)
    pool.map_async(task, [sys.argv[1]] * 2, chunksize=1)
    pool.close()
    pool.join()
