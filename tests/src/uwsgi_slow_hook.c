/* uwsgi_slow_hook.c - a uWSGI after-request hook (t309: uwsgi --dlopen this.so
 * --after-request-hook slow_after_request) that keeps the worker marked busy for 1 s after the
 * client has its whole response: uwsgi_close_request (uWSGI 2.0.21 core/utils.c) closes the
 * connection, runs the after-request hooks, and only then clears the core's in_request. A stop
 * in that window skips the Python atexit hooks (plugins/python/python_plugin.c
 * uwsgi_python_atexit: "if busy do not run atexit hooks"); it widens the window the demo's stop
 * once fell into by chance. */
#include <unistd.h>

void slow_after_request(void *wsgi_req);

void slow_after_request(void *wsgi_req)
{
	(void)wsgi_req; /* a struct wsgi_request *, not used */
	sleep(1);
}
