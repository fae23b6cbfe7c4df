"""Fréchet distance between image sets in a small classifier's feature space.

The FID of Heusel et al. 2017 ("GANs Trained by a Two Time-Scale Update Rule Converge to a
Local Nash Equilibrium") fits a Gaussian to Inception-v3 features of each set and reports
    ||mu_a - mu_b||^2 + Tr(S_a + S_b - 2 (S_a S_b)^(1/2)).
There are no Inception weights offline here, so the features are the penultimate layer of a
small CNN trained on the same data set's training split. Figures are only comparable within
one data set and one classifier (report them beside the floor and ceiling baselines).
"""
from __future__ import annotations

import numpy as np
import torch
from torch import nn

FEATURE_DIM = 128


class FeatureClassifier(nn.Module):
    """image [B, 1, 28, 28] in [-1, 1] -> class logits [B, 10]; features() gives [B, 128]."""

    def __init__(self, num_classes: int = 10) -> None:
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(inplace=True), nn.MaxPool2d(2),   # 14x14
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(inplace=True), nn.MaxPool2d(2),  # 7x7
            nn.Flatten(),
            nn.Linear(32 * 7 * 7, FEATURE_DIM), nn.ReLU(inplace=True),
        )
        self.head = nn.Linear(FEATURE_DIM, num_classes)

    def features(self, images: torch.Tensor) -> torch.Tensor:
        return self.body(images)

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(images))


@torch.no_grad()
def extract_features(classifier: FeatureClassifier, images: torch.Tensor,
                     batch_size: int = 500) -> np.ndarray:
    """Penultimate features float64 [N, 128] for images [N, 1, 28, 28] in [-1, 1] (on any
    device: each batch goes to the classifier's)."""
    device = next(classifier.parameters()).device
    return torch.cat([classifier.features(chunk.to(device)) for chunk in images.split(batch_size)]
                     ).double().cpu().numpy()


def frechet_distance(features_a: np.ndarray, features_b: np.ndarray) -> float:
    """Fréchet distance between Gaussians fitted to features [N, D] and [M, D]."""
    mu_a, mu_b = features_a.mean(0), features_b.mean(0)
    cov_a, cov_b = np.cov(features_a, rowvar=False), np.cov(features_b, rowvar=False)
    # Tr((S_a S_b)^(1/2)) = Tr((S_a^(1/2) S_b S_a^(1/2))^(1/2)): a symmetric PSD matrix,
    # so eigvalsh is exact and stable where a general sqrtm can return complex noise.
    eigval, eigvec = np.linalg.eigh(cov_a)
    sqrt_a = (eigvec * np.sqrt(eigval.clip(min=0))) @ eigvec.T
    cross = np.sqrt(np.linalg.eigvalsh(sqrt_a @ cov_b @ sqrt_a).clip(min=0)).sum()
    return float(((mu_a - mu_b) ** 2).sum() + np.trace(cov_a) + np.trace(cov_b) - 2 * cross)
