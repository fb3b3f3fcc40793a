/* unloaded_plug.c - the plugin of unloaded_host.c (t313): a callback, a table of data and a
 * function that calls back into its host, all used by the host after dlclose unloaded it. */
int plugin_table[1024] = {7, 11, 13};

int plugin_cb(int x)
{
	return x * 3 + plugin_table[x & 1];
}

const int *plugin_data(void)
{
	return plugin_table;
}

/* calls cb, then uses the table: not a tail call, so this frame stays on the stack during cb */
int plugin_run(void (*cb)(void))
{
	cb();
	return plugin_table[2];
}
