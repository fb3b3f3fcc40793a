/* plugin_noop.c: a library with nothing in it but a function (t154) */
int plugin_noop(void) { return 0; }
