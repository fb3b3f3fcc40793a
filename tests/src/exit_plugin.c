/* exit_plugin.c - the plugin of exit_plugin_host (t374): a cleanup function the host asks for
 * by plugin_get_cleanup and registers as its own exit handler. */
#include <unistd.h>

void plugin_cleanup(void) { write(1, "cleanup\n", 8); }

void *plugin_get_cleanup(void) { return (void *)plugin_cleanup; }
