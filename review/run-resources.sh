#!/bin/bash
# "nothing taken": mappings per thread, pthread keys left, threads under RLIMIT_AS (resources.c)
cd "$(dirname "$0")" && gcc -O1 -g -Wall -Wno-unused-function -o resources resources.c -lpthread || exit 2
for m in maps keys threads; do ./cmp.sh res_$m -- ./resources $m; done
gcc -O1 -o vmsize vmsize.c -lpthread && ./cmp.sh res_vmsize --filter "sed -E s/main.[0-9]+.KiB/main/" -- ./vmsize
echo "  vmsize: $(cat out/res_vmsize.0.out) -> $(cat out/res_vmsize.1.out)"
