"""shim_pages.py SHIM LO HI - run under the shim: which pages of the shim's [LO, HI) (offsets from its
load address, decimal) this process has touched, from /proc/self/pagemap (bit 63: present).
Prints "pages <n> touched <n> [offsets...]"."""
import struct
import sys

shim, lo, hi = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
maps = [l.split() for l in open("/proc/self/maps")]
base = min(int(m[0].split("-")[0], 16) for m in maps if len(m) >= 6 and m[5] == shim)
first, last = (base + lo + 4095) // 4096, (base + hi) // 4096  # whole pages only
touched = []
with open("/proc/self/pagemap", "rb") as f:
    for page in range(first, last):
        f.seek(page * 8)
        if struct.unpack("<Q", f.read(8))[0] >> 63:
            touched.append(hex(page * 4096 - base))
print("pages", last - first, "touched", len(touched), *touched)
