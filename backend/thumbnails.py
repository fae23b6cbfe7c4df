"""Render the home page's cards that show a trained model, from the shipped weights.

    python -m backend.thumbnails gan adversarial_patch

Run it after retraining one of these models, so that the home page shows the model its page
runs. Each card is 320 x 200, like every card in assets/thumbnails.
- gan.png: five slerp walks of 8 frames (40 px each), clothes and digits alternating; row r
  walks from the latent of seed 10 r + 1 to that of seed 10 r + 2.
- adversarial_patch.png: the shipped toaster patch on skimage's coffee photo, covering 15 % of
  it, left of the cup.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image, ImageOps

from backend import adversarial_patch as ap
from backend import gan, paths
from backend.data.skimage_photos import load_photo
from backend.tensor_images import from_uint8, to_uint8

CARD = (320, 200)  # width, height


def gan_card() -> Image.Image:
    models = gan.load()
    rows = []
    for row, name in enumerate(["fashion", "digits"] * 2 + ["fashion"]):
        generator, _, _ = models[name]
        ends = gan.sample_latents([10 * row + 1, 10 * row + 2], generator.latent_dim)
        frames = gan.generate(generator, gan.interpolate(ends[0], ends[1], 8))  # [8, 1, 28, 28]
        frames = F.interpolate(frames, size=(40, 40), mode="bilinear", align_corners=False)
        rows.append(torch.cat(list(frames[:, 0]), dim=1))  # [40, 320]
    return Image.fromarray(to_uint8(torch.cat(rows), value_range=gan.PIXEL_RANGE), mode="L")


def adversarial_patch_card() -> Image.Image:
    photo = ImageOps.fit(Image.fromarray(load_photo("coffee")), CARD, Image.LANCZOS)
    image = from_uint8(np.asarray(photo), channels_first=True)[None]  # [1, 3, 200, 320]
    patches = {record["target"]: patch for patch, record in ap.load_shipped_patches()}
    patched = ap.apply_patch(image, patches["toaster"], center=torch.tensor([[0.22, 0.39]]),
                             scale=torch.tensor([0.15]), angle=torch.tensor([0.0]))
    return Image.fromarray(to_uint8(patched[0], channels_first=True))


CARDS = {"gan": gan_card, "adversarial_patch": adversarial_patch_card}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cards", nargs="+", choices=sorted(CARDS))
    parser.add_argument("--out", type=Path, default=paths.asset("thumbnails"))
    args = parser.parse_args(argv)
    for name in args.cards:
        card = CARDS[name]()
        assert card.size == CARD, card.size
        card.save(args.out / f"{name}.png", optimize=True)
        print(f"wrote {args.out / f'{name}.png'}")


if __name__ == "__main__":
    main()
