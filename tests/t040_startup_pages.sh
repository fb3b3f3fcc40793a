#!/bin/bash
# t040: the pages of its own a process start makes the shim touch. In this VM each first touch of
# a page costs a fault of ~15 us, as much as ten system calls (bench/run startup), and the kernel
# maps a file's pages in aligned windows of 16 around a fault. The layout
# (shim/layout.ld, the start-up page in shim.h) keeps a start to the pages ld.so touches anyway;
# this case fails when a change puts a start-up write or read elsewhere.
. "$(dirname "$0")/lib.sh"

# section NAME FIELD: from readelf -S (FIELD 1: address, 3: size), in decimal
section() {
	local hex
	hex=$(readelf -SW "$SHIM" | sed 's/^ *\[ *[0-9]*\] *//' | awk -v n="$1" -v f="$2" '$1 == n { print (f == 1 ? $3 : $5); exit }')
	[ -n "$hex" ] && echo $((16#$hex))
}
for s in .rodata.first .text .fini .eh_frame .tlstrace.cold .data .bss .tlstrace.exitbss .lbss; do
	[ -n "$(section $s 1)" ] || fail "no $s section in libtlstrace.so (shim/layout.ld not applied?)"
done

# read-only data before the code, next to the dynamic symbols ld.so reads first
[ "$(section .rodata.first 1)" -lt "$(section .text 1)" ] || fail ".rodata.first is not before .text"
[ "$(section .rodata.first 1)" -lt 16384 ] || fail ".rodata.first starts beyond the first 4 pages"
# the cold code after everything a start runs, _fini (run at exit) included
[ "$(section .tlstrace.cold 1)" -gt "$(section .eh_frame 1)" ] || fail ".tlstrace.cold is not after .eh_frame"
hot_end=$(($(section .fini 1) + $(section .fini 3)))
note "code a start may run: the first $((hot_end / 1024)) KiB; cold code: $(($(section .tlstrace.cold 3) / 1024)) KiB"
# more than a fault-around window (16 pages) of it: a second fault at every start, whatever the
# load address (-O2: ~39 KiB, -O0: ~58 KiB)
[ $hot_end -le $((64 * 1024)) ] || fail "the code up to _fini spans $hot_end bytes (> 16 pages)"
# .data and .bss in the one page ld.so writes anyway (it zeroes the page's tail beyond .data)
data_page=$(($(section .data 1) / 4096))
bss_last=$((($(section .bss 1) + $(section .bss 3) - 1) / 4096))
[ $data_page = $bss_last ] || fail ".bss ends in page $bss_last, .data starts in page $data_page: one fault more per start"

# .dynamic read-only, in the first window (shim/rodynamic.ld) where ld.so leaves such a one alone:
# ld.so's first read of it, in the writable segment, was a fault more on the page that the
# relocations write next
minor=$(getconf GNU_LIBC_VERSION | sed -n 's/^glibc 2\.\([0-9]*\).*/\1/p')
dyn=$(readelf -lW "$SHIM" | awk '$1 == "DYNAMIC" { print $3, $(NF - 1) }')
[ -n "$dyn" ] || fail "no PT_DYNAMIC in libtlstrace.so"
if [ "${minor:-0}" -ge 35 ]; then
	case ${dyn#* } in
	*W*) fail "glibc 2.$minor: PT_DYNAMIC is writable ($dyn): shim/rodynamic.ld not applied?" ;;
	esac
	[ $((${dyn%% *})) -lt 65536 ] || fail ".dynamic at ${dyn%% *}, beyond the first 16 pages"
	note "glibc 2.$minor: .dynamic read-only at ${dyn%% *}"
else
	case ${dyn#* } in
	*W*) note "glibc 2.$minor: .dynamic writable (ld.so would write to a read-only one)" ;;
	*) fail "glibc 2.$minor writes to .dynamic, which is read-only ($dyn): every start would crash" ;;
	esac
fi

# at run time: a start leaves the cold zero-filled pages (.lbss) alone. python3 -S: without site,
# whose .pth files may load extension modules (a 9th module goes to the cold part of the table)
# (from the page of the data most ends touch, .tlstrace.exitbss, just before .lbss: no start touches it either)
lbss="$(section .tlstrace.exitbss 1) $(($(section .lbss 1) + $(section .lbss 3)))"
out=$(LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/pages.trace $PY -S "$ROOT/tests/src/shim_pages.py" "$SHIM" $lbss 2>&1) || fail "shim_pages.py: $out"
note "python3 -S: $out"
case $out in
"pages "*" touched 0") ;;
*) fail "a python3 start touched cold pages of the shim: $out" ;;
esac
# the check itself sees a touched page: a crash signal's handler, once set, lives there
out=$(LD_PRELOAD=$SHIM TLSTRACE_FILE=$W/pages.trace $PY -S -c "
import signal, runpy, sys
signal.signal(signal.SIGSEGV, lambda *a: None)
sys.argv = ['shim_pages.py', '$SHIM'] + '$lbss'.split()
runpy.run_path('$ROOT/tests/src/shim_pages.py')" 2>&1) || fail "the handler check: $out"
note "with a SIGSEGV handler: $out"
case $out in
"pages "*" touched 0") fail "the check did not see the page of a program's SIGSEGV handler: $out" ;;
"pages "*" touched "*) ;;
*) fail "the handler check: $out" ;;
esac
echo "ok"
