"""Turning model outputs (uint8 arrays) into things a browser shows: crisp enlargements, GIFs."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image


def enlarge(image: np.ndarray, factor: int) -> Image.Image:
    """A small uint8 image ([H, W] or [H, W, 3]) scaled up with visible, crisp pixels."""
    picture = Image.fromarray(image)
    return picture.resize((picture.width * factor, picture.height * factor), Image.NEAREST)


def strip(frames: np.ndarray, gap: int = 2) -> np.ndarray:
    """Frames uint8 [N, H, W] side by side in one image, separated by a thin dark gap."""
    count, height, width = frames.shape[:3]
    canvas = np.full((height, count * (width + gap) - gap) + frames.shape[3:], 40, np.uint8)
    for index, frame in enumerate(frames):
        start = index * (width + gap)
        canvas[:, start:start + width] = frame
    return canvas


def gif(frames: np.ndarray, factor: int = 4, frame_ms: int = 120, bounce: bool = True) -> bytes:
    """An endlessly looping GIF of uint8 frames [N, H, W(, 3)]; `bounce` plays back and forth."""
    sequence = list(frames) + (list(frames[-2:0:-1]) if bounce else [])
    pictures = [enlarge(frame, factor) for frame in sequence]
    buffer = io.BytesIO()
    pictures[0].save(buffer, format="GIF", save_all=True, append_images=pictures[1:],
                     duration=frame_ms, loop=0)
    return buffer.getvalue()
