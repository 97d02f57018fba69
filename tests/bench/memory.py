"""Peak memory of the current process, as a benchmark or a test reads it."""

from __future__ import annotations

import resource


def peak_kb() -> int:
    """This process's own peak resident memory, in KiB.

    Not `ru_maxrss` alone: on Linux it carries over the peak of the parent that
    forked this process (pytest or the benchmark, hundreds of MB), while VmHWM
    starts afresh at exec.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
