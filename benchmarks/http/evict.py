#!/usr/bin/env python3
"""Keeps a data set out of the page cache: posix_fadvise(POSIX_FADV_DONTNEED) on each of its files, never on
the whole machine's cache. Usage: evict.py DIR [SECONDS]: one sweep over the regular files under DIR, or, with
SECONDS, sweeps every SECONDS until killed (the cold-mix clients keep bringing pages back in). Writes nothing
and needs no privilege beyond reading the files (clean pages are dropped; dirty ones are written back first by
the kernel later, so write the data set with fsync before)."""
import os
import signal
import sys
import time


def files(root):
    for parent, _, names in os.walk(root):
        for name in sorted(names):
            path = os.path.join(parent, name)
            if os.path.isfile(path):
                yield path


def sweep(paths):
    for path in paths:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


def main():
    paths = list(files(sys.argv[1]))
    if not paths:
        sys.exit("evict.py: no files under " + sys.argv[1])
    if len(sys.argv) < 3:
        sweep(paths)
        return
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    period = float(sys.argv[2])
    while True:
        sweep(paths)
        time.sleep(period)


if __name__ == "__main__":
    main()
