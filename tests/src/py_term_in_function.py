# tests/src/py_term_in_function.py MODE: a Python SIGTERM handler (on_term) that never returns,
# arriving while main() is inside a function, not at the module's top level (t321). MODE: `loop` main() -> loop()
# sleeping in time.sleep, the handler sleeps in a loop; `event` the handler blocks in threading.Event().wait();
# `method` main() -> Worker().run(); `join` main() in Thread.join of a thread that sleeps; `init` the handler blocks
# in cleanup() -> Flusher(), whose __init__ CPython calls from C (an entry frame of its own, not the handler's);
# `busy` as `loop`, main() -> spin() running bytecode: the eval loop's pending-call check runs the handler (3.13+:
# through the static _PyErr_CheckSignalsTstate). Prints "ready" once the handler is installed (join: its thread made).
import signal, sys, threading, time
mode = sys.argv[1]


class Flusher:
    def __init__(self):
        while True:
            time.sleep(0.05)


def cleanup():
    Flusher()


def on_term(signum, frame):
    if mode == "event":
        threading.Event().wait()
    if mode == "init":
        cleanup()
    while True:
        time.sleep(0.05)


class Worker:
    def run(self):
        while True:
            time.sleep(0.01)


def spin():
    n = 0
    while True:
        n += 1


def loop():
    while True:
        time.sleep(0.01)


def main():
    signal.signal(signal.SIGTERM, on_term)
    if mode == "join":
        t = threading.Thread(target=lambda: time.sleep(3600), daemon=True)
        t.start()
        # ("ready" once the thread is made: glibc's pthread_create blocks every signal in this
        # thread meanwhile, a SIGTERM then went to the new thread, and no Python handler ran
        # while this one waited in the join: t321 stuck, 2 runs in 25 on one CPU)
        print("ready", flush=True)
        t.join()
        return
    print("ready", flush=True)
    if mode == "method":
        Worker().run()
    elif mode == "busy":
        spin()
    else:
        loop()


main()
