# py_crash.py - a Python program that dies by SIGSEGV two calls deep (ctypes reads address 1),
# for the crash handler's Python traceback. Line numbers are checked by t081.
import ctypes


def crash_here():
    ctypes.string_at(1)


def outer():
    crash_here()


outer()
