"""Variational autoencoder with a 2-D latent space for handwritten digits.

Follows Kingma & Welling, "Auto-Encoding Variational Bayes" (ICLR 2014): an encoder maps a
28x28 digit to the mean and log-variance of a Gaussian q(z|x) over a 2-D latent space, a
decoder maps a latent point back to pixel probabilities. Two latent dimensions are few for
reconstruction quality, but they make the map on the page *be* the latent space itself: no
projection stands between what the student sees and what the decoder gets.

Images are float tensors in 0..1, shape [N, 28, 28]; latents are float tensors [N, 2].
What the page shows is also its URL (`ExplorerConfig`), a drawn digit included: as the
picture the network sees, written by `digit_to_text` and read back by `digit_from_text`.
"""

from __future__ import annotations

import base64
import json
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import torch
from PIL import Image
from safetensors.torch import load_file
from torch import nn

from backend import paths
from backend.device import first_pass, get_device
from backend.tensor_images import from_uint8, to_uint8
from backend.url_config import QueryConfig, choice, integer, number

SIDE = 28
LATENT_DIM = 2
ASSET_DIR = paths.asset("autoencoder")
WEIGHTS = ASSET_DIR / "vae.safetensors"
HELD_OUT = ASSET_DIR / "held_out.npz"


class VAE(nn.Module):
    """A small fully connected VAE: 784 -> 512 -> 256 -> (mu, logvar) and back."""

    def __init__(self, hidden: tuple[int, int] = (512, 256), latent_dim: int = LATENT_DIM):
        super().__init__()
        wide, narrow = hidden
        self.encoder = nn.Sequential(
            nn.Flatten(), nn.Linear(SIDE * SIDE, wide), nn.ReLU(),
            nn.Linear(wide, narrow), nn.ReLU(), nn.Linear(narrow, 2 * latent_dim))
        self.decoder = nn.Sequential(
            nn.Linear(latent_dim, narrow), nn.ReLU(), nn.Linear(narrow, wide), nn.ReLU(),
            nn.Linear(wide, SIDE * SIDE))

    def forward(self, images: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Training pass: (reconstruction logits [N, 784], mu [N, 2], logvar [N, 2])."""
        mu, logvar = self.encoder(images).chunk(2, dim=1)
        z = mu + torch.randn_like(mu) * (0.5 * logvar).exp()  # the reparameterisation trick
        return self.decoder(z), mu, logvar


def vae_loss(logits: torch.Tensor, images: torch.Tensor, mu: torch.Tensor,
             logvar: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Negative ELBO per image, split into (reconstruction BCE, KL to the N(0, I) prior)."""
    bce = nn.functional.binary_cross_entropy_with_logits(
        logits, images.flatten(1), reduction="sum") / len(images)
    kl = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp()) / len(images)
    return bce, kl


def load_model(path: Path = WEIGHTS) -> VAE:
    """The trained VAE on the gallery's device, frozen: it is shared by every visitor."""
    model = VAE()
    model.load_state_dict(load_file(path))
    return model.to(get_device()).eval().requires_grad_(False)


@torch.inference_mode()
def encode(model: VAE, images: torch.Tensor) -> torch.Tensor:
    """Latent means [N, 2] of images [N, 28, 28] in 0..1 (the centre of q(z|x))."""
    device = next(model.parameters()).device
    mu, _ = model.encoder(images.to(device)).chunk(2, dim=1)
    return mu.cpu()


@torch.inference_mode()
def decode(model: VAE, latents: torch.Tensor) -> torch.Tensor:
    """Decoded images [N, 28, 28] in 0..1 of latent points [N, 2]."""
    device = next(model.parameters()).device
    logits = model.decoder(latents.to(device, torch.float32))
    return torch.sigmoid(logits).view(-1, SIDE, SIDE).cpu()


def walk(start: torch.Tensor, end: torch.Tensor, frames: int) -> torch.Tensor:
    """`frames` latent points [frames, 2] evenly spaced on the segment from start to end."""
    weights = torch.linspace(0, 1, frames).unsqueeze(1)
    return (1 - weights) * start + weights * end


def latent_grid(span: float, points_per_side: int) -> torch.Tensor:
    """Latent points [n*n, 2] on a square grid over [-span, span]^2, in image order:
    rows go from the top (high z2) down, columns from left (low z1) to right."""
    axis = torch.linspace(-span, span, points_per_side)
    z2, z1 = torch.meshgrid(axis.flip(0), axis, indexing="ij")
    return torch.stack([z1.flatten(), z2.flatten()], dim=1)


def manifold(model: VAE, span: float = 3.0, points_per_side: int = 20) -> np.ndarray:
    """The decoded grid over the latent square (Kingma & Welling 2014, Fig. 4) as one
    grayscale image, uint8 [n*28, n*28], oriented like a plot: z1 grows to the right, z2
    upwards (see manifold_position)."""
    tiles = decode(model, latent_grid(span, points_per_side))
    n = points_per_side
    mosaic = tiles.view(n, n, SIDE, SIDE).permute(0, 2, 1, 3).reshape(n * SIDE, n * SIDE)
    return to_uint8(mosaic)


def manifold_position(point: np.ndarray, span: float, size: int) -> tuple[float, float]:
    """Where latent `point` (z1, z2) lies on a manifold image of size x size pixels showing
    [-span, span]^2: (row, column) in pixels, rows counted from the top (high z2)."""
    column = (point[0] + span) / (2 * span) * size
    row = (span - point[1]) / (2 * span) * size
    return row, column


def mark_on_manifold(image: np.ndarray, point: np.ndarray, span: float) -> np.ndarray:
    """The manifold image (grayscale uint8 [S, S]) as RGB [S, S, 3] with a red ring where
    `point` lies."""
    rgb = np.repeat(image[..., None], 3, axis=2)
    size = image.shape[0]
    row, column = manifold_position(point, span, size)
    rows, columns = np.ogrid[:size, :size]
    distance = np.hypot(rows - row, columns - column)
    rgb[(distance > 9) & (distance < 13)] = (230, 30, 30)
    return rgb


def preprocess_drawing(rgba: np.ndarray, min_ink_pixels: int = 30) -> np.ndarray | None:
    """Turn a canvas drawing (white ink on black, uint8 [H, W, 4]) into an MNIST-style digit.

    Follows how MNIST itself was made: crop to the ink's bounding box, scale it to fit a 20x20
    box keeping the aspect ratio, then place it in a 28x28 field so that its centre of mass is
    at the centre. Returns float32 [28, 28] in 0..1, or None when there is (almost) no ink.
    """
    ink = rgba[..., :3].max(axis=2).astype(np.float32) * (rgba[..., 3] / 255.0)
    rows, cols = np.nonzero(ink > 25)
    if len(rows) < min_ink_pixels:
        return None
    crop = ink[rows.min():rows.max() + 1, cols.min():cols.max() + 1]
    scale = 20.0 / max(crop.shape)
    size = (max(1, round(crop.shape[1] * scale)), max(1, round(crop.shape[0] * scale)))
    small = np.asarray(Image.fromarray(crop.astype(np.uint8)).resize(size, Image.LANCZOS),
                       dtype=np.float32).clip(0, 255) / 255.0
    # Faint ink can vanish in the shrinking: centre the ink that is left, not blank margins,
    # and none left is no digit (its centre of mass would be 0/0).
    rows, cols = np.nonzero(small)
    if len(rows) == 0:
        return None
    small = small[rows.min():rows.max() + 1, cols.min():cols.max() + 1]
    digit = np.zeros((SIDE, SIDE), dtype=np.float32)
    height, width = small.shape
    row_com, col_com = _centre_of_mass(small)
    top = int(np.clip(round(SIDE / 2 - row_com), 0, SIDE - height))
    left = int(np.clip(round(SIDE / 2 - col_com), 0, SIDE - width))
    digit[top:top + height, left:left + width] = small
    return digit


def _centre_of_mass(image: np.ndarray) -> tuple[float, float]:
    total = image.sum()
    rows, cols = np.indices(image.shape)
    # +0.5: pixel centres, so that a symmetric blob in an even field lands exactly centred.
    return float((rows * image).sum() / total + 0.5), float((cols * image).sum() / total + 0.5)


@dataclass(frozen=True)
class LatentMap:
    """The held-out digits placed in the latent space: what the page's map shows."""

    latents: np.ndarray   # float32 [N, 2], latent means of the held-out digits
    labels: np.ndarray    # int64 [N]
    images: np.ndarray    # uint8 [N, 28, 28]

    def centroid(self, digit: int) -> np.ndarray:
        """Mean latent position [2] of one class."""
        return self.latents[self.labels == digit].mean(axis=0)

    def nearest_labels(self, point: np.ndarray, k: int = 10) -> np.ndarray:
        """Labels [k] of the k held-out digits nearest to a latent point, nearest first."""
        order = np.argsort(np.linalg.norm(self.latents - point, axis=1))
        return self.labels[order[:k]]

    def neighbour_counts(self, point: np.ndarray, k: int = 10) -> list[tuple[int, int]]:
        """(class, how many) among the k held-out digits nearest to a latent point, the most
        frequent first: the evidence behind region_of."""
        counts = np.bincount(self.nearest_labels(point, k), minlength=10)
        return sorted(((int(d), int(n)) for d, n in enumerate(counts) if n), key=lambda c: -c[1])

    def region_of(self, point: np.ndarray, k: int = 10) -> int:
        """The class that most of the k nearest held-out digits belong to."""
        return int(np.bincount(self.nearest_labels(point, k), minlength=10).argmax())

    def farthest_centroid(self, point: np.ndarray) -> np.ndarray:
        """The class centre [2] farthest from a latent point: the walk there is the longest
        across the map, and so the most telling morph."""
        return max((self.centroid(digit) for digit in range(10)),
                   key=lambda centre: np.linalg.norm(centre - point))


def load_latent_map(model: VAE, path: Path = HELD_OUT) -> LatentMap:
    """Encode the shipped held-out digits (which the model never trained on)."""
    with np.load(path) as held_out:
        images, labels = held_out["images"], held_out["labels"]
    latents = encode(model, from_uint8(images)).cpu().numpy()
    return LatentMap(latents=latents, labels=labels, images=images)


def read_training_record(path: Path = ASSET_DIR / "vae.json") -> dict:
    """How the shipped weights were made (command, seed, metrics)."""
    return json.loads(path.read_text())


def digit_to_text(digit: np.ndarray) -> str:
    """A digit (float [28, 28] in 0..1, the network's input) as URL-safe text: its 256 grey
    levels, zlib-compressed (a digit is mostly black) in base64url without padding, about
    250 characters. Lossless for what preprocess_drawing makes (its pixels are k/255), so a
    link lands exactly where the drawing did."""
    pixels = np.rint(np.clip(digit, 0, 1) * 255).astype(np.uint8)
    packed = zlib.compress(pixels.tobytes(), level=9)
    return base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


def digit_from_text(text: str) -> np.ndarray | None:
    """The digit that digit_to_text wrote, float32 [28, 28] in 0..1; None for any other
    text (not base64url, not zlib, or not exactly 28x28 pixels)."""
    try:
        packed = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        inflater = zlib.decompressobj()
        # At most one pixel too many, whatever a link holds: enough to tell it is no digit.
        pixels = inflater.decompress(packed, SIDE * SIDE + 1)
    except (ValueError, zlib.error):  # binascii.Error and non-ASCII text are ValueErrors
        return None
    if len(pixels) != SIDE * SIDE or not inflater.eof:
        return None
    return np.frombuffer(pixels, np.uint8).reshape(SIDE, SIDE).astype(np.float32) / 255


WALK_TARGETS = ("farthest", *map(str, range(10)))  # the farthest class centre, or a class's


@dataclass(frozen=True)
class ExplorerConfig(QueryConfig):
    """What the page shows, as its URL holds it: the decoded point (z1, z2), None until the
    visitor picks one; the drawn digit as digit_to_text writes it, "" for none; and the walk
    from there, to a WALK_TARGETS target in `frames` frames. Both latents or neither."""
    z1: float | None = None
    z2: float | None = None
    digit: str = ""
    walk_to: str = "farthest"
    frames: int = 8

    LATENT: ClassVar[tuple[float, float]] = (-10.0, 10.0)  # beyond any map's span
    FRAMES: ClassVar[tuple[int, int]] = (3, 16)
    QUERY_KEYS: ClassVar[dict[str, str]] = {
        "z1": "z1", "z2": "z2", "digit": "digit", "walk_to": "walk", "frames": "frames"}

    @classmethod
    def _clean(cls, get: Callable[[str], Any], default: dict[str, Any]) -> dict[str, Any]:
        z1, z2 = (number(get(name), *cls.LATENT, None) for name in ("z1", "z2"))
        if z1 is None or z2 is None:  # half a point is no point
            z1 = z2 = None
        else:  # to 0.01, finer than the sliders' steps of 0.05
            z1, z2 = round(z1, 2), round(z2, 2)
        digit = str(get("digit"))
        return {
            "z1": z1, "z2": z2,
            "digit": digit if digit_from_text(digit) is not None else default["digit"],
            "walk_to": choice(get("walk_to"), WALK_TARGETS, default["walk_to"]),
            "frames": integer(get("frames"), *cls.FRAMES, default["frames"]),
        }

    def to_query(self) -> dict[str, str]:
        """As the base's, leaving out the decoded point and the digit while there are none."""
        unset = {key for field, key in self.QUERY_KEYS.items()
                 if getattr(self, field) in (None, "")}
        return {key: value for key, value in super().to_query().items() if key not in unset}


def load() -> tuple[VAE, LatentMap]:
    """What the page shares among all visitors: the VAE and the map of the held-out digits."""
    model = load_model()
    first_pass(lambda: decode(model, torch.zeros(1, LATENT_DIM)))
    return model, load_latent_map(model)
