#!/bin/bash
# kind 11: vfork children changing signal state (review/vfork.c, vfork.py)
cd "$(dirname "$0")" && gcc -O1 -g -Wall -Wno-unused-function -o vfork vfork.c || exit 2
for m in all exec_ok raise_in_child spawn; do ./cmp.sh vfork_$m -- ./vfork $m; done
for m in vfork posix_spawn preexec restore missing; do ./cmp.sh vfork_py_$m -- /usr/bin/python3 vfork.py $m; done
