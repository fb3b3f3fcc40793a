"""exit_pages.py PID SHIM NAME:LO:HI... - for a process stopped at its end (PID), which pages of each
of the shim's zero-filled sections [LO, HI) (offsets from its load address, decimal) it touched, from
/proc/PID/pagemap (bit 63: present). Anonymous pages only: the kernel maps a file's pages around a
fault, so present there is not touched. Prints "NAME pages N touched K [offsets]" per section."""
import struct
import sys

pid, shim = sys.argv[1], sys.argv[2]
maps = [l.split() for l in open("/proc/%s/maps" % pid)]
base = min(int(m[0].split("-")[0], 16) for m in maps if len(m) >= 6 and m[5] == shim)
with open("/proc/%s/pagemap" % pid, "rb") as f:
    for arg in sys.argv[3:]:
        name, lo, hi = arg.split(":")
        first, last = (base + int(lo)) // 4096, (base + int(hi) + 4095) // 4096
        touched = []
        for page in range(first, last):
            f.seek(page * 8)
            if struct.unpack("<Q", f.read(8))[0] >> 63:
                touched.append(hex(page * 4096 - base))
        print(name, "pages", last - first, "touched", len(touched), *touched)
