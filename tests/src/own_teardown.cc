// own_teardown.cc - a dlopen'd C++ module whose own static teardown is the first on the main
// thread to use thread-local state: its own __thread counter, from an atexit handler it
// registered, and libstdc++'s (a static destructor throws and catches an exception and writes to
// std::cout: __cxa_get_globals). Both are normal teardown, not findings (t072). plugin_start()
// touches neither on the main thread.
#include <cstdlib>
#include <iostream>

static __thread int own_counter;
static void own_exit() { own_counter++; }

struct Logger {
    ~Logger() {
        try {
            throw own_counter;
        } catch (int n) {
            std::cout << "logger done " << n << std::endl;
        }
    }
};
static Logger logger;

extern "C" long plugin_start() {
    atexit(own_exit);
    return 1;
}
