# A WSGI app whose /stuck request calls cwait_forever() of the C library $CWAIT_LIB (ctypes), which
# never returns, once it said "stuck request began" on stderr (t152's cwait part); any other path
# answers at once.
import ctypes
import os
import sys

lib = ctypes.CDLL(os.environ["CWAIT_LIB"])


def application(environ, start_response):
    if environ.get("PATH_INFO") == "/stuck":
        print("stuck request began", file=sys.stderr, flush=True)
        lib.cwait_forever()
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok\n"]
