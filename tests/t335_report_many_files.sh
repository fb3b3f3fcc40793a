#!/bin/bash
# t335: a fleet directory of many small traces (one file per process: 17000 workers, 3 lines
# each) is read whole, in memory near its size (docs/report-memory.md): each file's first events
# go in the room left in the last file's chunk of events (parse.c, ev_open), not in a chunk of
# their own. Before, each file took a 64 KB chunk: c130918 holds 188 MB for these 1.6 MB, and the
# report whose events are 4-byte places among at most 16384 chunks (mem11's first form of them)
# stopped at the 16385th file ("too big a trace", status 2). Now: status 0, the same report as
# one trace of them all gives, max RSS at most 2x the files + 8 MB.
. "$(dirname "$0")/lib.sh"
mkdir -p "$W" && cd "$W"
rm -rf fleet && mkdir fleet
$PY - <<'PY'
with open("all.trace", "w") as a:
    for p in range(2, 17002):
        t = f"{p} {p} {1000 + p} - tlstrace 2 1 /bin/w w\n{p} {p} {2000 + p} - exit 0\n{p} {p} {2001 + p} - exit_done\n"
        open(f"fleet/tlstrace.{p}.trace", "w").write(t)
        a.write(t)
PY
size=$(du -cb fleet/*.trace | tail -1 | cut -f1)
/usr/bin/time -f %M -o rss "$REPORT" --no-symbols --json fleet >fleet.json 2>err; rc=$?
[ $rc = 0 ] || { tail -3 err; fail "fleet: status $rc"; }
rss=$(($(tail -1 rss) * 1024))
note "17000 files of 3 lines: $((size >> 10)) KB, max RSS $((rss >> 20)) MB"
[ $rss -le $((2 * size + (8 << 20))) ] || fail "fleet: max RSS $((rss >> 20)) MB for $((size >> 10)) KB"
# every process and event read, and the same report as one file of them all (but the count of
# files and the order of the pids: the files are read in the order of their names)
"$REPORT" --no-symbols all.trace >all.txt 2>/dev/null
"$REPORT" --no-symbols fleet >fleet.txt 2>/dev/null
[ "$(head -1 fleet.txt)" = "tlstrace-report: 17000 files, 17000 processes, 51000 events" ] ||
	fail "fleet: $(head -1 fleet.txt)"
diff <(sed '1d; s/(pids .*//' all.txt) <(sed '1d; s/(pids .*//' fleet.txt) >/dev/null ||
	fail "fleet: not the report of one file of them all"
rm -rf fleet
true
