"""The deep-learning side of the gallery: models and pure inference functions.

Nothing in this package imports streamlit, so every function can be tested and benchmarked
without a browser or a Streamlit runtime.
"""

import ctypes
import os

# torch's OpenMP workers spin while waiting for work. With several visitors' requests (or
# other processes) sharing the cores, spinning workers starve each other: a 0.14 ms decoder
# pass measured 46 ms under load. Sleeping workers fix that. libgomp reads this variable once,
# when torch loads, so it has to be set before the first `import torch` (see app.py).
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


def _keep_freed_memory_for_reuse(limit: int = 256 << 20) -> None:
    """glibc hands every freed block above 32 MB straight back to the OS, so each 512x512
    stylization page-faulted its 33 MB activations in again: 15% of its time (onnxruntime,
    which it is measured against, keeps an arena). Keep blocks up to `limit` in the heap."""
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:  # not glibc (macOS, musl): nothing to tune
        return
    m_trim_threshold, m_mmap_threshold = -1, -3  # mallopt parameters, from <malloc.h>
    libc.mallopt(m_mmap_threshold, limit)
    libc.mallopt(m_trim_threshold, limit)


_keep_freed_memory_for_reuse()
