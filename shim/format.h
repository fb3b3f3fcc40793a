/* format.h - what libtlstrace.so and tlstrace-report share about the trace: its version, line limit,
 * the letters of the Python-state column and the names of signals. The format itself is
 * docs/trace-format.md. */
#ifndef TLSTRACE_FORMAT_H
#define TLSTRACE_FORMAT_H

#include <signal.h>

#define TLSTRACE_FORMAT_VERSION 3 /* written by the shim */
#define TLSTRACE_FORMAT_MIN 1     /* oldest the report reads */
/* the first version whose every process that got to its end says so (`exit_done`, `_exit`,
 * `quick_exit`, a crash with the default action): before it, a trace without such a line is no
 * sign of a process that did not finish (docs/trace-format.md) */
#define TLSTRACE_FORMAT_ENDS 2
#define TLSTRACE_LINE_MAX 4096    /* bytes per line, newline included */
#define TLSTRACE_MAGIC "tlstrace" /* event type of the first line of every process */

/* Python interpreter state, the fourth column of every line. */
#define PY_NONE '-'       /* no libpython in the process */
#define PY_NOTINIT 'n'    /* libpython present, interpreter not initialized */
#define PY_INIT 'I'       /* initialized */
#define PY_ATEXIT 'A'     /* inside Py_Finalize, before the finalizing flag: atexit callbacks */
#define PY_FINALIZING 'F' /* _Py_IsFinalizing() */
#define PY_DEAD 'D'       /* finalized */
#define PY_UNKNOWN '?'    /* libpython may be unloading */

/* The name of a signal the shim reports (the crash signals, SIGTRAP) or a process dies by;
 * "signal" for others. async-signal-safe */
static inline const char *tlstrace_signal_name(int sig)
{
	switch (sig) {
	case SIGSEGV: return "SIGSEGV";
	case SIGBUS: return "SIGBUS";
	case SIGILL: return "SIGILL";
	case SIGFPE: return "SIGFPE";
	case SIGABRT: return "SIGABRT";
	case SIGTRAP: return "SIGTRAP";
	case SIGKILL: return "SIGKILL";
	case SIGTERM: return "SIGTERM";
	case SIGINT: return "SIGINT";
	}
	return "signal";
}

#endif
