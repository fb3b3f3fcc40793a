#!/bin/bash
# signals as read: sigaction of 1..64 and the mask (review/sigstate.c, sigstate.py)
cd "$(dirname "$0")" && gcc -O1 -g -Wall -Wno-unused-function -o sigstate sigstate.c -lpthread || exit 2
./cmp.sh sig_plain -- ./sigstate run
./cmp.sh sig_inherited_ign -- ./sigstate launch ./sigstate run
./cmp.sh sig_nohup -- nohup ./sigstate run
./cmp.sh sig_bash_bg -- /bin/bash -c './sigstate run & wait'
./cmp.sh sig_py -- /usr/bin/python3 sigstate.py
./cmp.sh sig_py_inherited_ign -- ./sigstate launch /usr/bin/python3 sigstate.py
