/* format.h - what libtlstrace.so and tlstrace-report share about the trace: its version, line limit
 * and the letters of the Python-state column. The format itself is docs/trace-format.md. */
#ifndef TLSTRACE_FORMAT_H
#define TLSTRACE_FORMAT_H

#define TLSTRACE_FORMAT_VERSION 1 /* written by the shim */
#define TLSTRACE_FORMAT_MIN 1     /* oldest the report reads */
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

#endif
