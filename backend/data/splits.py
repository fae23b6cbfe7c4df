"""The two 28x28 grayscale data sets the GAN demo trains on, by name and split."""
from __future__ import annotations

from typing import Literal

import numpy as np
import torch

from backend.data.fashion_mnist import load_fashion_mnist
from backend.data.mnist import load_digits, split_held_out

DATASETS = ("fashion", "digits")


def load_split(dataset: Literal["fashion", "digits"], split: Literal["train", "test"]
               ) -> tuple[np.ndarray, np.ndarray]:
    """(images uint8 [N, 28, 28], labels int64 [N]); digits: the gallery's 1,000 held out."""
    if dataset == "fashion":
        return load_fashion_mnist(split)
    images, labels = load_digits()
    train_idx, test_idx = split_held_out(labels)
    idx = train_idx if split == "train" else test_idx
    return images[idx], labels[idx]


def to_model_range(images: np.ndarray) -> torch.Tensor:
    """uint8 [N, 28, 28] in 0..255 -> float [N, 1, 28, 28] in [-1, 1] (the GAN's range)."""
    return torch.from_numpy(images).float().div(127.5).sub(1.0).unsqueeze(1)
