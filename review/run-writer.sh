#!/bin/bash
# kind 08: the trace writer against limits and odd files (review/writer.c); root for tmpfs
cd "$(dirname "$0")" && gcc -O1 -g -Wall -o writer writer.c -lpthread || exit 2
W=$PWD/writer
./cmp.sh writer_fsize_handler -- ./writer fsize_handler 300
./cmp.sh writer_fsize_dfl -- ./writer fsize_dfl 300
# a trace already past the shell's limit
t=/tmp/u8trace.big.$$; head -c 8192 /dev/zero | tr '\0' 'x' >$t
./cmp.sh writer_ulimit_f_prefilled --trace $t -- /bin/bash -c "ulimit -f 4; exec $W plain 100"
rm -f $t
# FIFO, no reader
f=/tmp/u8fifo.$$; mkfifo -m 600 $f
TF=$f ./cmp.sh writer_fifo_noreader --timeout 20 -- ./writer plain 100
# FIFO with a reader that never reads (the pipe fills: 64 KiB)
sleep 1000 <>$f & rp=$!   # holds the FIFO open read-write, reads nothing
TF=$f ./cmp.sh writer_fifo_stuck_reader --timeout 30 -- ./writer plain 1000
kill $rp; wait $rp 2>/dev/null
# FIFO whose reader goes away after the first bytes: writes get EPIPE (SIGPIPE by default)
( head -c 100 <$f >/dev/null ) & rp=$!
TF=$f ./cmp.sh writer_fifo_reader_gone --timeout 30 -- ./writer plain 1000
kill $rp 2>/dev/null; wait $rp 2>/dev/null
( head -c 100 <$f >/dev/null ) & rp=$!
TF=$f ./cmp.sh writer_fifo_reader_gone_handler --timeout 30 -- ./writer sigpipe_handler 1000
kill $rp 2>/dev/null; wait $rp 2>/dev/null
rm -f $f
TF=/dev/full ./cmp.sh writer_dev_full -- ./writer plain 100
# a full tmpfs
d=$(mktemp -d /tmp/u8tmpfs.XXXXXX)
if mount -t tmpfs -o size=64k tmpfs $d 2>/dev/null; then
	head -c 200000 /dev/zero >$d/fill 2>/dev/null
	TF=$d/trace.log ./cmp.sh writer_full_tmpfs -- ./writer plain 100
	rm -f $d/fill; head -c 61000 /dev/zero >$d/fill 2>/dev/null   # room for a few lines only
	TF=$d/trace2.log ./cmp.sh writer_almost_full_tmpfs -- ./writer plain 300
	echo "  (almost full tmpfs: trace $(wc -c <$d/trace2.log 2>/dev/null) bytes, last: $(tail -c 120 $d/trace2.log 2>/dev/null | tail -1))"
	umount $d
else echo "writer_full_tmpfs not run: mount failed"; fi
rmdir $d
./cmp.sh writer_unlink_trace -- ./writer unlink_trace 100
./cmp.sh writer_dir_trace -- ./writer dir_trace 100
