# seed_barrier_app.py - the seed app (seed_app.py) behind a barrier, for t100: a request with the
# query "barrier=DIR,N" is answered once N requests are inside the app at the same time (each
# leaves a file named by its worker's pid in DIR; 60 s a safety net), so that N requests sent at
# once are served by N workers, whatever the scheduler's choice of the worker that accepts.
import os
import time

from seed_app import application as seed_application


def application(environ, start_response):
    query = environ.get("QUERY_STRING", "")
    if query.startswith("barrier="):
        where, n = query[len("barrier="):].rsplit(",", 1)
        open(os.path.join(where, str(os.getpid())), "w").close()
        end = time.monotonic() + 60
        while len(os.listdir(where)) < int(n) and time.monotonic() < end:
            time.sleep(0.01)
    return seed_application(environ, start_response)
