#!/bin/bash
# handlers on the program's own small sigaltstack (review/altstack.c)
cd "$(dirname "$0")" && gcc -O1 -g -Wall -Wno-unused-function -o altstack altstack.c -lpthread || exit 2
for m in main thread; do for e in 0 512 1024 4096; do ./cmp.sh altstack_${m}_$e --crash -- ./altstack $m $e; done; done
