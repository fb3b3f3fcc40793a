#!/bin/bash
# t181: the report's memory on many forked workers of a master with many modules (the kind of
# case 19: a uWSGI master that forked 20000 workers, 100 modules mapped): each worker shares its
# parent's module table until one of them loads or unloads a module (100 MB for a 1.6 MB trace
# before: 63x, a copy of the table per worker); now at most 2x + 8 MB (6.2 MB; 6.5 MB before
# mem11's 48-byte processes, which a forked worker's kin record, 40 bytes, takes back in part). And the tables stay
# apart where they differ: a child that unloads and loads after the fork, the parent loading
# after it, a child forked before that load and one after: each crash frame names its module.
. "$(dirname "$0")/lib.sh"
cd "$W"
$PY - <<'PY'
with open("forked.trace", "w") as f:
    f.write("1 1 1 - tlstrace 2 0 /usr/bin/uwsgi uwsgi --master\n")
    for m in range(100):
        f.write(f"1 1 2 - mod {m} 0x{0x7f0000000000 + m * 0x100000:x} 0 {'ab' * 20} /usr/lib/x86_64-linux-gnu/lib{m}.so.1\n")
    for p in range(2, 20002):
        f.write(f"{p} {p} {10 + p} - forked 1\n{p} {p} {20 + p} - exit 0\n{p} {p} {21 + p} - exit_done\n")
    f.write("1 1 99999999 - exit 0\n1 1 99999999 - exit_done\n")
PY
size=$(stat -c %s forked.trace)
/usr/bin/time -f %M -o rss "$REPORT" --no-symbols --json forked.trace >forked.json 2>err; rc=$?
[ $rc = 0 ] || { cat err; fail "forked.trace: status $rc"; }
rss=$(($(tail -1 rss) * 1024))
note "20001 processes sharing 100 modules: $((size >> 10)) KB, max RSS $((rss >> 20)) MB"
[ $rss -le $((2 * size + (8 << 20))) ] || fail "forked.trace: max RSS $((rss >> 20)) MB for $((size >> 10)) KB"

cat >mods.trace <<'T'
1 1 1 - tlstrace 2 0 /bin/m m
1 1 2 - mod 0 0x400000 0 - /bin/m
1 1 3 - mod 1 0x7f0000000000 0 - /lib/libc.so.6
1 1 4 - fork 2
2 2 5 - forked 1
4 4 5 - forked 1
2 2 6 - unmod 1
2 2 7 - mod 2 0x7f1000000000 0 - /lib/a.so
1 1 8 - mod 2 0x7f2000000000 0 - /lib/p.so
1 1 9 - fork 3
3 3 10 - forked 1
T
for p in 2 3 4 1; do
	printf '%s %s 20 - crash 11 1 0x0 2+0x10 0x0\n%s %s 21 - crash_bt libgcc 2+0x10 1+0x20 0+0x30\n%s %s 22 - crash_end default\n' $p $p $p $p $p $p >>mods.trace
done
"$REPORT" --no-symbols --json mods.trace >mods.json
got=$($PY -c 'import json; d = json.load(open("mods.json")); print(" ".join("%d:%s" % (f["pid"], ",".join(str(b["module"]) for b in f["backtrace"])) for f in sorted(d["findings"], key=lambda f: f["pid"])))')
want="1:/lib/p.so,/lib/libc.so.6,/bin/m 2:/lib/a.so,/lib/libc.so.6,/bin/m 3:/lib/p.so,/lib/libc.so.6,/bin/m 4:None,/lib/libc.so.6,/bin/m"
[ "$got" = "$want" ] || fail "module tables: $got, expected $want"
true
