"""cold_code_hits.py - gdb's Python (tests/t461): runs the inferior under the shim with a counting
breakpoint at each function of the shim's cold code, set as soon as ld.so has mapped the shim,
before any constructor runs; the breakpoints never stop it. Set before -x: SHIM (the library's
path as ld.so names it), TRACE (TLSTRACE_FILE), TEXT (the .text section's address in the file:
gdb's `info sharedlibrary` shows where .text was loaded), FUNCS (a file of "OFFSET NAME" lines,
hexadecimal offsets from the load address). Prints "hits N", then the functions run, one a line."""
import gdb

gdb.execute("set pagination off")
gdb.execute("set startup-with-shell off")
gdb.execute("set environment LD_PRELOAD=" + SHIM)
gdb.execute("set environment TLSTRACE_FILE=" + TRACE)
gdb.execute("set stop-on-solib-events 1")
gdb.execute("run", to_string=True)
base = None
for _ in range(20):
    for line in gdb.execute("info sharedlibrary", to_string=True).splitlines():
        f = line.split()
        if f and f[-1] == SHIM and f[0].startswith("0x"):
            base = int(f[0], 16) - TEXT
    if base is not None:
        break
    gdb.execute("continue", to_string=True)
if base is None:
    raise SystemExit("cold_code_hits: %s never loaded" % SHIM)

hits = set()


class Count(gdb.Breakpoint):
    def stop(self):
        hits.add(self.fname)
        return False


for line in open(FUNCS):
    off, name = line.split()
    b = Count("*0x%x" % (base + int(off, 16)), internal=True)
    b.fname = name
gdb.execute("set stop-on-solib-events 0")
gdb.execute("continue", to_string=True)
print("hits", len(hits))
for h in sorted(hits):
    print(h)
