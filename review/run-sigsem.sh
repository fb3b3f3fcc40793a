#!/bin/bash
# signal semantics as the program sees them (review/sigsem.c)
cd "$(dirname "$0")" && gcc -O1 -g -Wall -o sigsem sigsem.c -lpthread 2>/dev/null || exit 2
gcc -O1 -g -Wall -o readback readback.c -lpthread && gcc -O1 -g -Wall -o handmask handmask.c -lpthread || exit 2
for m in pipe_dfl pipe_thread_dfl nosignal pending_then_ign signalfd eintr kill_child; do ./cmp.sh sigsem_$m --crash -- ./sigsem $m; done
./cmp.sh readback -- ./readback
./cmp.sh handmask -- ./handmask
