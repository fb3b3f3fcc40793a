# normalize.awk - a trace as "PID TID PY EVENT FIELD...": the time column dropped and every code
# token ID+0xOFF written as module-basename+0xOFF, using the `mod` lines of that process; a forked
# child starts with its parent's modules, a `tlstrace` line (exec) with none. Used by tests/lib.sh.
function base(p,   n, a) { n = split(p, a, "/"); return a[n] }
{
	pid = $1; ev = $5
	if (ev == "tlstrace") {
		for (k in mods) { split(k, kk, SUBSEP); if (kk[1] == pid) delete mods[k] }
	} else if (ev == "forked") {
		parent = $6
		for (k in mods) { split(k, kk, SUBSEP); if (kk[1] == parent) mods[pid, kk[2]] = mods[k] }
	} else if (ev == "mod") {
		mods[pid, $6] = base($10)
	}
	out = $1 " " $2 " " $4 " " $5
	for (i = 6; i <= NF; i++) {
		t = $i
		if (t ~ /^[0-9]+\+0x[0-9a-f]+$/) {
			split(t, p, "+")
			if ((pid, p[1]) in mods) t = mods[pid, p[1]] "+" p[2]
		} else if (t ~ /^atexit=[0-9]+:[0-9]+\+0x/) {
			split(substr(t, 8), q, ":"); split(q[2], p, "+")
			if ((pid, p[1]) in mods) t = "atexit=" q[1] ":" mods[pid, p[1]] "+" p[2]
		}
		out = out " " t
	}
	print out
}
