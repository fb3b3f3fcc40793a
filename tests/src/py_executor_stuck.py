"""py_executor_stuck.py (t344): a ThreadPoolExecutor's task waits for an event nobody sets; at
the end of the main code concurrent.futures' exit hook (_python_exit) joins the worker, which
waits for its task: the interpreter's shutdown never ends."""
import concurrent.futures, threading

stop = threading.Event()
started = threading.Event()

def fetch_forever():
    started.set()
    stop.wait()

pool = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="fetcher")
pool.submit(fetch_forever)
started.wait()
print("ready", flush=True)
