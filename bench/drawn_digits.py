"""Where drawn digits land on the latent explorer's map (issue 14).

Draws digits the way a visitor does on the page's canvas (backend/data/drawn_digits.py:
templates for 0-9 in white round-jointed strokes 16-24 px wide on a 280x280 black canvas,
with a random slant, rotation, wobble, size and position, seeded). Each drawing goes the
page's path: preprocess_drawing -> encode -> LatentMap.region_of, and counts as placed when
the region is its own class. Prints the placement rate per digit and overall for the shipped
model (and for any --weights given, e.g. a previous model), beside two baselines in the same
run: chance (a region picked at random, 0.10) and a sanity check that the drawings are
MNIST-like: a 5-nearest-neighbour classifier on the 9,000 training digits (raw pixels).

    .venv/bin/python bench/drawn_digits.py [--per-digit 50] [--weights OLD.safetensors ...]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

from backend import autoencoder as ae  # noqa: E402
from backend.data.drawn_digits import drawn_digits, placement  # noqa: E402


def knn_predictions(digits: np.ndarray, k: int = 5) -> np.ndarray:
    """A k-NN classifier on the 9,000 training digits' raw pixels (the held-out 1,000 left out)."""
    from backend.data import mnist
    images, labels = mnist.load_digits()
    train_idx, _ = mnist.split_held_out(labels)
    train = images[train_idx].reshape(len(train_idx), -1).astype(np.float32) / 255
    query = digits.reshape(len(digits), -1)
    distances = (query ** 2).sum(1)[:, None] - 2 * query @ train.T + (train ** 2).sum(1)[None]
    nearest = labels[train_idx][np.argsort(distances, axis=1)[:, :k]]
    return np.array([np.bincount(row, minlength=10).argmax() for row in nearest])


def report(name: str, predicted: np.ndarray, labels: np.ndarray) -> None:
    rates = [(predicted[labels == d] == d).mean() for d in range(10)]
    print(f"{name:<28}" + "".join(f"{r:6.2f}" for r in rates) + f"{(predicted == labels).mean():8.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--per-digit", type=int, default=50)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--weights", type=Path, nargs="*", default=[],
                        help="other VAE weights to place the drawings with (their own map)")
    parser.add_argument("--save", type=Path, help="write a PNG sheet of the 28x28 drawings")
    args = parser.parse_args()
    digits, labels = drawn_digits(args.per_digit, args.seed)
    if args.save:
        sheet = digits.reshape(10, args.per_digit, 28, 28).transpose(0, 2, 1, 3)
        Image.fromarray((sheet.reshape(280, -1) * 255).astype(np.uint8)).save(args.save)
    print(f"{len(digits)} drawings, seed {args.seed}: fraction placed in their own class's region")
    print(f"{'':<28}" + "".join(f"{d:>6}" for d in range(10)) + f"{'all':>8}")
    for path in [ae.WEIGHTS, *args.weights]:
        model = ae.load_model(path)
        name = "shipped VAE" if path == ae.WEIGHTS else f"VAE {path.parent.name}"
        report(name, placement(model, ae.load_latent_map(model), digits), labels)
    chance = np.random.default_rng(args.seed).integers(0, 10, len(labels))
    report("baseline: random region", chance, labels)
    report("sanity: 5-NN on raw pixels", knn_predictions(digits), labels)


if __name__ == "__main__":
    main()
