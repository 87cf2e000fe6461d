#!/usr/bin/env python3
"""How far the kernel log's clock (local_clock, the timestamp of every /dev/kmsg record) is from
CLOCK_MONOTONIC, which the runner's events use: writes PROBES marker records to /dev/kmsg, each
between two CLOCK_MONOTONIC readings, and reads their timestamps back. The record was stamped
between the two readings, so kmsg - monotonic lies in [ts - after, ts - before]; the tightest
bounds over the probes are printed, in ms: "offset_ms LOW HIGH" (kmsg ahead when positive).

usage: bench/kmsg_clock.py [PROBES]      (bench/bench.sh, part oomlat; needs root)"""

import os
import sys
import time


def main(argv):
    probes = int(argv[1]) if len(argv) > 1 else 5
    fd = os.open("/dev/kmsg", os.O_RDWR | os.O_NONBLOCK)
    os.lseek(fd, 0, os.SEEK_END)
    low, high = -1e9, 1e9
    for i in range(probes):
        tag = "bench: kmsg clock probe %d/%d (pid %d)" % (i + 1, probes, os.getpid())
        before = time.clock_gettime(time.CLOCK_MONOTONIC)
        os.write(fd, (tag + "\n").encode())  # a record is readable once it ends a line
        after = time.clock_gettime(time.CLOCK_MONOTONIC)
        deadline = after + 2
        while True:
            try:
                rec = os.read(fd, 8192).decode(errors="replace")
            except BlockingIOError:
                if time.clock_gettime(time.CLOCK_MONOTONIC) > deadline:
                    sys.exit("kmsg_clock.py: probe %d not read back from /dev/kmsg" % (i + 1))
                time.sleep(0.001)
                continue
            except BrokenPipeError:  # records overwritten before we read them
                continue
            if rec.split(";", 1)[-1].startswith(tag):
                break
        ts = int(rec.split(",")[2]) / 1e6
        low, high = max(low, ts - after), min(high, ts - before)
    print("offset_ms %.3f %.3f" % (low * 1e3, high * 1e3))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
