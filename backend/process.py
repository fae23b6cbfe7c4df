"""Process-wide tuning for serving many visitors from one Python process.

`tune_process()` is called explicitly, first thing, by every entry point that runs models
(app.py, the benchmarks, the training CLIs, the test suite), because both settings only take
effect if made before torch is imported or before big tensors are allocated.
"""

from __future__ import annotations

import ctypes
import functools
import os

# glibc's mallopt parameter numbers, from <malloc.h>
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3


@functools.cache
def tune_process(keep_freed_memory: int = 256 << 20) -> None:
    """Make torch's idle OpenMP workers sleep, and let freed memory be reused.

    - torch's OpenMP workers spin while waiting for work. With several visitors' requests (or
      other processes) sharing the cores, spinning workers starve each other; sleeping ones
      do not. libgomp reads OMP_WAIT_POLICY once, when torch loads, hence "before torch".
      An explicit OMP_WAIT_POLICY in the environment wins.
    - glibc hands every freed block above 32 MB straight back to the OS, so each 512x512
      stylization would page-fault its large activations in again. Blocks up to
      `keep_freed_memory` bytes stay in the heap instead.
    """
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:  # not glibc (macOS, musl): nothing to tune
        return
    libc.mallopt(_M_MMAP_THRESHOLD, keep_freed_memory)
    libc.mallopt(_M_TRIM_THRESHOLD, keep_freed_memory)
