#!/bin/bash
# a program that sandboxes itself with seccomp (review/seccomp.c)
cd "$(dirname "$0")" && gcc -O1 -g -Wall -o seccomp seccomp.c -lpthread || exit 2
for m in clock fcntl prlimit openat; do ./cmp.sh seccomp_$m --crash -- ./seccomp $m; done
