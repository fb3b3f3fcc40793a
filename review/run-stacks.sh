#!/bin/bash
# kind 10: small thread stacks and small main stacks (review/stacks.cc)
cd "$(dirname "$0")" && g++ -O1 -g -Wall -o stacks stacks.cc -lpthread || exit 2
for k in 16 24 32; do for m in tls key signals both segv; do ./cmp.sh stacks_${m}_$k --crash -- ./stacks $m $k; done; done
for s in 48 64 128; do
	./cmp.sh stacks_ulimit_s${s}_both --crash -- /bin/bash -c "ulimit -s $s; exec ./stacks both 32"
	./cmp.sh stacks_ulimit_s${s}_py --crash -- /bin/bash -c "ulimit -s $s; exec /usr/bin/python3 -c 'import threading; t=threading.Thread(target=print, args=(1,)); t.start(); t.join()'"
done
