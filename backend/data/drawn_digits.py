"""Canvas-like drawings of digits, the way visitors draw them on the latent explorer's canvas.

Polyline templates for 0-9 drawn with PIL on a 280x280 RGBA black canvas in white
round-jointed strokes 16-24 px wide, each with a random slant, rotation, wobble, size and
position (seeded). `placement_rate` runs them through the page's own path (preprocess_drawing
-> encode -> LatentMap.region_of): the training CLI records it, bench/drawn_digits.py
reports it per digit, and a test checks the shipped model against it.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import torch
from PIL import Image, ImageDraw

from backend import autoencoder as ae

CANVAS = 280


def _arc(cx, cy, rx, ry, start, end, n=24):
    """Points on an ellipse, angles in degrees (0 = right, 90 = down: image coordinates)."""
    return [(cx + rx * math.cos(math.radians(a)), cy + ry * math.sin(math.radians(a)))
            for a in np.linspace(start, end, n)]


# Each digit: a list of strokes, each a polyline in a unit box (x right, y down).
TEMPLATES: dict[int, list[list[tuple[float, float]]]] = {
    0: [_arc(0.5, 0.5, 0.42, 0.48, -90, 275, 40)],
    1: [[(0.5, 0.0), (0.5, 1.0)]],
    2: [_arc(0.5, 0.3, 0.32, 0.28, 190, 380) + [(0.15, 1.0), (0.9, 1.0)]],
    3: [_arc(0.45, 0.26, 0.35, 0.26, 210, 450) + _arc(0.45, 0.74, 0.38, 0.26, 270, 510)],
    4: [[(0.55, 0.0), (0.05, 0.65), (0.95, 0.65)], [(0.7, 0.25), (0.7, 1.0)]],
    5: [[(0.85, 0.0), (0.2, 0.0), (0.15, 0.45)] + _arc(0.48, 0.68, 0.38, 0.32, 220, 500)],
    6: [[(0.7, 0.0)] + _arc(0.5, 0.7, 0.32, 0.3, 200, 560, 36)],
    7: [[(0.05, 0.0), (0.95, 0.0), (0.35, 1.0)]],
    8: [[(0.5 + 0.32 * math.sin(2 * t) * (1 if t < math.pi else 1.1),
          0.5 - 0.5 * math.cos(t)) for t in np.linspace(0, 2 * math.pi, 48)]],
    9: [_arc(0.45, 0.3, 0.35, 0.3, 0, 370, 30) + [(0.8, 0.35), (0.75, 1.0)]],
}


def draw(digit: int, rng: np.random.Generator) -> np.ndarray:
    """One canvas (uint8 [280, 280, 4], as the page's st_canvas returns it) with `digit`."""
    slant = rng.uniform(-0.35, 0.2)            # shear: x shifts with height
    angle = math.radians(rng.uniform(-12, 12))
    height = rng.uniform(130, 220)
    width = height * rng.uniform(0.55, 0.8) * (0.3 if digit == 1 else 1)
    cx, cy = rng.uniform(100, 180, 2)
    canvas = Image.new("RGBA", (CANVAS, CANVAS), (0, 0, 0, 255))
    pen = ImageDraw.Draw(canvas)
    stroke = int(rng.integers(16, 25))
    for polyline in TEMPLATES[digit]:
        points = np.asarray(polyline, dtype=np.float64)
        # Dense points, then a smooth wobble (a hand is no plotter).
        dense = np.concatenate([np.linspace(a, b, 8, endpoint=False)
                                for a, b in itertools.pairwise(points)] + [points[-1:]])
        phase, freq = rng.uniform(0, 2 * np.pi, 2), rng.uniform(1, 3, 2)
        s = np.linspace(0, 1, len(dense))[:, None]
        dense = dense + 0.04 * rng.uniform(0.3, 1) * np.sin(2 * np.pi * freq * s + phase)
        x = (dense[:, 0] - 0.5) * width
        y = (dense[:, 1] - 0.5) * height
        x = x - slant * y
        xr = cx + x * math.cos(angle) - y * math.sin(angle)
        yr = cy + x * math.sin(angle) + y * math.cos(angle)
        xy = list(zip(xr.clip(2, CANVAS - 3), yr.clip(2, CANVAS - 3)))
        pen.line(xy, fill=(255, 255, 255, 255), width=stroke, joint="curve")
        for px, py in (xy[0], xy[-1]):  # round caps, as the canvas's brush has
            pen.ellipse((px - stroke / 2, py - stroke / 2, px + stroke / 2, py + stroke / 2),
                        fill=(255, 255, 255, 255))
    return np.asarray(canvas)


def drawn_digits(per_digit: int = 50, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(preprocessed digits float32 [10*per_digit, 28, 28], labels [10*per_digit]): the
    drawings as the page's preprocess_drawing turns them into the network's input."""
    rng = np.random.default_rng(seed)
    labels = np.repeat(np.arange(10), per_digit)
    return np.stack([ae.preprocess_drawing(draw(int(d), rng)) for d in labels]), labels


def placement(model: ae.VAE, latent_map: ae.LatentMap, digits: np.ndarray) -> np.ndarray:
    """The region each drawing lands in, as the page says it: encode one at a time."""
    return np.array([latent_map.region_of(ae.encode(model, torch.from_numpy(d)[None])[0].numpy())
                     for d in digits])


def placement_rate(model: ae.VAE, latent_map: ae.LatentMap, per_digit: int = 50,
                   seed: int = 0) -> float:
    """Fraction of the drawings that land in their own class's region."""
    digits, labels = drawn_digits(per_digit, seed)
    return float((placement(model, latent_map, digits) == labels).mean())
