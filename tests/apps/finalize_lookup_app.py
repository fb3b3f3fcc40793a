# An object of finalize_lookup (tests/src/finalize_lookup.c) kept in a reference cycle of a module
# global: Py_FinalizeEx's last collection frees it, after sys.modules was emptied (t464)
import json  # noqa: F401 (the destructor looks it up in sys.modules)
import finalize_lookup


class Holder:
    pass


h = Holder()
h.cycle = h
h.o = finalize_lookup.Obj()


def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok\n"]


if __name__ == "__main__":
    print("main done")
