#!/usr/bin/env python3
"""Peak memory of a command: `rss.py CMD ARGS...` prints "TOTAL_KB ANON_KB".

TOTAL is the kernel's own high-water mark of the resident set (VmHWM, the
figure `/usr/bin/time -v` reports), which includes file-backed pages such as
mapped pack files. ANON is the largest anonymous resident set (RssAnon)
seen while sampling /proc/PID/status every millisecond: what the process
allocated itself. The command's output is discarded.
"""
import subprocess
import sys
import time


def status(pid):
    fields = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key in ("VmHWM", "RssAnon"):
                    fields[key] = int(value.split()[0])
    except (OSError, ValueError):
        pass
    return fields


def main():
    proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    total = anon = 0
    while proc.poll() is None:
        s = status(proc.pid)
        total = max(total, s.get("VmHWM", 0))
        anon = max(anon, s.get("RssAnon", 0))
        time.sleep(0.001)
    print(total, anon)


if __name__ == "__main__":
    main()
