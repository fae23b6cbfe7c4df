"""Fashion-MNIST (Xiao et al. 2017) from the Debian package `dataset-fashion-mnist`.

60,000 training and 10,000 test images of clothes, 28x28 grayscale, in the original
IDX format (gzip-compressed). Read offline from /usr/share/datasets/fashion-mnist.
"""
from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np

DEFAULT_ROOT = Path("/usr/share/datasets/fashion-mnist")


def _read_idx(path: Path) -> np.ndarray:
    """Parse one gzip-compressed IDX file (magic, dimension sizes, then uint8 data)."""
    with gzip.open(path, "rb") as f:
        raw = f.read()
    ndim = raw[3]
    shape = tuple(int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim))
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(shape).copy()


def load_fashion_mnist(split: str = "train", root: str | Path = DEFAULT_ROOT
                       ) -> tuple[np.ndarray, np.ndarray]:
    """Return (images uint8 [N, 28, 28] in 0..255, labels int64 [N]) for split "train" or "test"."""
    prefix = {"train": "train", "test": "t10k"}[split]
    root = Path(root)
    images = _read_idx(root / f"{prefix}-images-idx3-ubyte.gz")
    labels = _read_idx(root / f"{prefix}-labels-idx1-ubyte.gz").astype(np.int64)
    return images, labels
