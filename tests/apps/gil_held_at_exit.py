# A native exit handler enters Python while another thread holds the GIL in a C call that does
# not release it (t150): exit() runs libc's usleep (registered last, so first: 0.3 s, the GIL
# released), meanwhile thread "poller" takes the GIL and calls sleep(HOLD) through ctypes.PyDLL,
# which keeps it; then the handler flush_at_exit, a ctypes callback, waits for the GIL until the
# sleep ends. Exit status 0, "flushed" printed, HOLD seconds (argv[1], default 3) later.
import ctypes
import sys
import threading
import time

hold = int(sys.argv[1]) if len(sys.argv) > 1 else 3
libc = ctypes.CDLL(None)
keeps_gil = ctypes.PyDLL(None)
HANDLER = ctypes.CFUNCTYPE(None, ctypes.c_void_p)


@HANDLER
def flush_at_exit(arg):
    print("flushed", flush=True)


def poll():
    time.sleep(0.1)
    keeps_gil.sleep(hold)


libc.__cxa_atexit(flush_at_exit, None, None)
libc.__cxa_atexit(ctypes.cast(libc.usleep, ctypes.c_void_p), ctypes.c_void_p(300000), None)
threading.Thread(target=poll, name="poller", daemon=True).start()
libc.exit(0)
