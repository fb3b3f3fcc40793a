/* late_plugin.c - a module with a thread_local without destructor: its TLS block is allocated on
 * a thread the first time that thread uses it. */
__thread int late_counter;
int late_touch(void) { return ++late_counter; }
