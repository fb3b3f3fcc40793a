#!/bin/bash
# t317: python3's own Py_FinalizeEx (an internal call of /usr/bin/python3) blocked in an atexit
# callback whose one call on a descriptor never returns: os.read and os.readv on a pipe that never
# gets data, input() with stdin such a pipe (sys.stdin.readline: a read(2) of the io module's, not
# stdio's), socket.recv, recv_into, recvfrom and recvmsg on a socketpair's end nothing is sent to,
# socket.accept on a listener nobody connects to, a blocking socket.connect to an AF_UNIX listener
# whose backlog is full (issue 15, PY10; tests/src/py_blocks_in_call.py). shim/reads.c sees the
# main thread's call with Py_FinalizeEx on its stack and starts the hang watchdog (hang_arm
# py_fin_stack); with TLSTRACE_HANG_MS=300 its three snapshots come, and the process is SIGKILLed
# once they are in the trace. The report: a hang in Py_FinalizeEx naming the atexit callback
# (flush_metrics, its file:line), the waiting frame and its call in Python's terms, and the fix.
# Before: no hang_arm, no snapshot (only a sleep, poll, timed wait or lock wait was seen).
. "$(dirname "$0")/lib.sh"
H=300
for k in read readv input recv recv_into recvfrom recvmsg accept connect; do
	case $k in
	read | input) HOW='reading in read (os.read; io.s read and readline; input() from a pipe)' ;;
	readv) HOW='reading in readv (os.readv)' ;;
	recv | recv_into | recvfrom) HOW='receiving in recvfrom (socket.recv, recv_into, recvfrom)' ;;
	recvmsg) HOW='receiving in recvmsg (socket.recvmsg)' ;;
	accept) HOW='waiting for a connection in accept4 (socket.accept)' ;;
	connect) HOW='connecting in connect (socket.connect)' ;;
	esac
	py_call_block $k
done
# the same from a threading._register_atexit callback (run by threading._shutdown, before it
# joins the non-daemon threads)
HOW='reading in read (os.read; io.s read and readline; input() from a pipe)' CB='a threading._register_atexit callback' \
	FIX='a callback registered with threading._register_atexit must return promptly' py_call_block read -thread_atexit
exit 0
