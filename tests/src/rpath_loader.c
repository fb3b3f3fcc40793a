/* rpath_loader.c - a library whose own DT_RPATH leads to the plugin it dlopens by bare name (built
 * -O0: a tail call would make its caller the caller of dlopen). The
 * program linking it has no such path: the plugin is found only if glibc sees this library as the
 * caller of dlopen. */
#include <dlfcn.h>
void *load_plugin(void) { return dlopen("libplugin_atexit.so", RTLD_NOW); }
