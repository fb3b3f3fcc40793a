# tests/lib/ctrlc.py WHEN CMD...: CMD on a new pseudo-terminal (its controlling terminal, CMD's
# process group the foreground one), and Ctrl-C typed there once WHEN holds: "ready" (CMD printed
# a line "ready") or "snapshots:N:TRACE" (TRACE has N complete hang snapshots, ' hang_end '
# lines). The kernel then sends SIGINT to the group, as a terminal does (si_code SI_KERNEL).
# Prints CMD's output, then "status N" (its exit status, or -SIG); a safety net of 60 s (SIGKILL
# to CMD, by pid, and exit status 1). No fixed delay: polls every 20 ms.
import os, pty, select, signal, sys, time

when, cmd = sys.argv[1], sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(cmd[0], cmd)
out, sent, end, st = b"", False, time.monotonic() + 60, None


def due():
    if when == "ready":
        return b"ready" in out
    _, n, trace = when.split(":", 2)
    try:
        with open(trace) as t:
            return t.read().count(" hang_end ") >= int(n)
    except OSError:
        return False


while st is None:
    r, _, _ = select.select([fd], [], [], 0.02)
    if r:
        try:
            out += os.read(fd, 4096)
        except OSError:
            pass
    if not sent and due():
        os.write(fd, b"\x03")
        sent = True
    p, s = os.waitpid(pid, os.WNOHANG)
    if p:
        st = s
    elif time.monotonic() > end:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        print("stuck: no end within 60 s")
        sys.exit(1)
sys.stdout.write(out.decode(errors="replace"))
print("status", os.waitstatus_to_exitcode(st))
