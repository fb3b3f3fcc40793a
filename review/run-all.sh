#!/bin/bash
# every review program, one line each (SAME / DIFFERENT: ...); details in review/out/NAME.*
# Run as root from anywhere: review/run-all.sh [kinds...] (default: all). Uses ../libtlstrace.so.
cd "$(dirname "$0")" || exit 2
kinds=${*:-faults altstack alloc fds writer stacks vfork files san signals resources exits sigsem seccomp smallexit hostile14 hostile15 hostile16 hostile17 hostile18}
for k in $kinds; do ./run-$k.sh 2>/dev/null | grep -v '^  '; done
[ -z "$*" ] && ./core-frames.sh 2>/dev/null
exit 0
