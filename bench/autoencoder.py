"""Backend cost of the latent explorer's interactions on the CPU.

Measures one draw -> preprocess -> encode -> decode, one click -> decode, and one full
manifold grid (15x15 decoded tiles). Baselines in the same run: a bare forward pass of the
decoder on one point (the floor of any interaction), and the manifold decoded tile by tile
instead of as one batch. Prints medians; the last line is the batched manifold's ratio.

    .venv/bin/python bench/autoencoder.py
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from backend.process import tune_process  # noqa: E402

tune_process()  # as the app does, before torch loads

from backend import autoencoder as ae  # noqa: E402
from backend.tensor_images import to_uint8  # noqa: E402
from bench.timing import median_seconds  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
from PIL import Image, ImageDraw  # noqa: E402


def drawn_zero() -> np.ndarray:
    """A canvas like the page's: 280x280 RGBA, white ellipse stroke on black."""
    picture = Image.new("RGBA", (280, 280), (0, 0, 0, 255))
    points = [(140 + 60 * math.sin(a), 140 - 95 * math.cos(a))
              for a in np.linspace(0, 2 * math.pi, 60)]
    ImageDraw.Draw(picture).line(points, fill=(255, 255, 255, 255), width=20)
    return np.asarray(picture)


def main() -> None:
    model = ae.load_model()
    canvas = drawn_zero()
    point = torch.tensor([[0.3, -1.2]])

    def draw_encode_decode():
        digit = ae.preprocess_drawing(canvas)
        z = ae.encode(model, torch.from_numpy(digit)[None])
        return to_uint8(ae.decode(model, z))

    def click_decode():
        return to_uint8(ae.decode(model, point))

    def manifold_grid():
        return ae.manifold(model, span=3.0, points_per_side=15)

    def baseline():
        with torch.inference_mode():
            return model.decoder(point)

    def manifold_tile_by_tile():
        return [ae.decode(model, z[None]) for z in ae.latent_grid(3.0, 15)]

    print(f"torch threads: {torch.get_num_threads()}, device: {ae.get_device()}")
    floor = median_seconds(baseline, 50)
    print(f"baseline (one bare decoder pass): {floor * 1e3:.3f} ms")
    results = {name: median_seconds(function, 50) for name, function in
               [("manifold grid 15x15", manifold_grid), ("click -> decode", click_decode),
                ("draw -> encode -> decode", draw_encode_decode)]}
    for name, seconds in results.items():
        print(f"{name}: {seconds * 1e3:.3f} ms (ratio to baseline {seconds / floor:.1f})")
    one_by_one = median_seconds(manifold_tile_by_tile, repeats=10)
    print(f"manifold tile by tile: {one_by_one * 1e3:.3f} ms")
    print(f"ratio manifold batched / tile by tile: "
          f"{results['manifold grid 15x15'] / one_by_one:.2f}")


if __name__ == "__main__":
    main()
