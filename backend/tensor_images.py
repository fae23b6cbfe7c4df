"""Pictures to float tensors and back, and the centre crop: one convention for every demo.

The models take images in different value ranges (the VAE and the classifier 0..1, the GAN
-1..1), so the conversions take the range as an argument instead of assuming one. They also
take the layout as an argument: torch puts the colour channels before the rows, [..., C, H, W];
numpy, PIL and Streamlit put them last, [..., H, W, C].

(backend.images is the other end of an upload: it turns untrusted bytes into a PIL image.)
"""

from __future__ import annotations

import numpy as np
import torch
from PIL import Image

UNIT_RANGE = (0.0, 1.0)


def to_uint8(images: torch.Tensor, value_range: tuple[float, float] = UNIT_RANGE,
             channels_first: bool = False) -> np.ndarray:
    """Float images with values in value_range as a uint8 array in 0..255, for display and
    for encoding (PNG, GIF); values outside the range are clipped. Any device; the result is
    on the CPU.

    channels_first: the images are [..., C, H, W] and come back as [..., H, W, C], or as
    [..., H, W] when C is 1 (grayscale). Otherwise the shape is kept.
    """
    low, high = value_range
    scaled = (images.detach().clamp(low, high) - low) * (255 / (high - low))
    pixels = scaled.round().to(torch.uint8)
    if channels_first:
        pixels = pixels.movedim(-3, -1)
        if pixels.shape[-1] == 1:
            pixels = pixels[..., 0]
    return pixels.cpu().contiguous().numpy()


def from_uint8(pixels: np.ndarray, value_range: tuple[float, float] = UNIT_RANGE,
               channels_first: bool = False) -> torch.Tensor:
    """The inverse of to_uint8: a uint8 array in 0..255 as a float32 CPU tensor with values in
    value_range. channels_first: the pixels are [..., H, W, C] and come back as
    [..., C, H, W]. Otherwise the shape is kept."""
    # torch refuses to share memory with a read-only array (np.asarray of a PIL image is one).
    images = torch.from_numpy(np.require(pixels, requirements=["C", "W"])).float() / 255
    low, high = value_range
    if (low, high) != UNIT_RANGE:
        images = low + images * (high - low)
    return images.movedim(-1, -3) if channels_first else images


def centre_square(image: Image.Image | np.ndarray,
                  side: int | None = None) -> Image.Image | np.ndarray:
    """The largest square in the middle of a picture (a PIL image, or an array [H, W, ...]);
    an odd leftover pixel goes to the right or bottom margin.

    side: a PIL image's square is resized to side x side (Lanczos); arrays are only cropped.
    """
    if isinstance(image, Image.Image):
        width, height = image.size
    else:
        if side is not None:
            raise ValueError("only a PIL image's centre square can be resized here")
        height, width = image.shape[:2]
    short = min(width, height)
    left, top = (width - short) // 2, (height - short) // 2
    if not isinstance(image, Image.Image):
        return image[top:top + short, left:left + short]
    square = image.crop((left, top, left + short, top + short))
    return square if side is None else square.resize((side, side), Image.LANCZOS)
