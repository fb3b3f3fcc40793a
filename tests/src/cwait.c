/* cwait.c - libcwait.so: cwait_forever() waits in C and never returns to its caller, through any
 * signal (sleep(3) again after each): a request's call into an extension that does not end (t152's
 * cwait part: gunicorn's worker timeout, whose Python handler then never runs) */
#include <unistd.h>

void cwait_forever(void)
{
	for (;;)
		sleep(1);
}
