#!/bin/bash
# t047: reliability case 06 (tests/cases/reliability/06_libunwind_takes_fds): after its first
# thread_local with a destructor, or pthread key with a destructor, a program gets the same
# descriptor numbers as without the shim (libunwind, once loaded at that moment, kept a pipe at
# the lowest free descriptors: "open -> 5" instead of 3).
. "$(dirname "$0")/lib.sh"
reliability_case 06_libunwind_takes_fds
echo ok
