"""Turning model outputs into things a browser shows: crisp enlargements, GIFs, dot plots."""

from __future__ import annotations

import base64
import io

import numpy as np
from PIL import Image, ImageColor, ImageDraw


def enlarge(image: np.ndarray, factor: int) -> Image.Image:
    """A small uint8 image ([H, W] or [H, W, 3]) scaled up with visible, crisp pixels."""
    picture = Image.fromarray(image)
    return picture.resize((picture.width * factor, picture.height * factor), Image.NEAREST)


def png(image: np.ndarray | Image.Image) -> bytes:
    """An image encoded as PNG once: st.image re-encodes arrays and PIL images on every run,
    bytes it sends as they are (what a cached result should hold)."""
    picture = image if isinstance(image, Image.Image) else Image.fromarray(image)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg(image: np.ndarray | Image.Image, quality: int = 90) -> bytes:
    """A photo-like image encoded as JPEG once (see `png`): a tenth of a PNG's bytes."""
    picture = image if isinstance(image, Image.Image) else Image.fromarray(image)
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=quality)
    return buffer.getvalue()


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


def dots_image(points: np.ndarray, colours: list[str], span: float, size: int = 800,
               radius: float = 7.5, opacity: float = 0.7) -> Image.Image:
    """Points [N, 2] inside the square [-span, span]² drawn as coloured dots on a transparent
    square image (y up), antialiased by drawing at 3x and scaling down."""
    scale = 3
    picture = Image.new("RGBA", (size * scale, size * scale))
    draw = ImageDraw.Draw(picture)
    pixels = (points + span) / (2 * span) * size * scale
    pixels[:, 1] = size * scale - pixels[:, 1]
    r = radius * scale
    for (x, y), colour in zip(pixels, colours):
        draw.ellipse((x - r, y - r, x + r, y + r),
                     fill=ImageColor.getrgb(colour) + (round(255 * opacity),))
    return picture.resize((size, size), Image.LANCZOS)


def colour_mapped(values: np.ndarray, colours: list[str]) -> Image.Image:
    """Values [H, W] in 0..1 as an RGB picture, through the colour scale whose evenly spaced
    stops are `colours` (hex, e.g. plotly.colors.sequential.Magma)."""
    stops = np.array([ImageColor.getrgb(colour) for colour in colours], dtype=np.float64)
    where = np.linspace(0, 1, len(colours))
    pixels = [np.interp(np.clip(values, 0, 1), where, stops[:, channel]) for channel in range(3)]
    return Image.fromarray(np.stack(pixels, axis=-1).round().astype(np.uint8))


def png_data_uri(picture: Image.Image, colours: int = 64) -> str:
    """A small image as a data: URI, its palette reduced to `colours` (a 271 kB dot plot
    becomes 47 kB)."""
    buffer = io.BytesIO()
    picture.quantize(colours, method=Image.Quantize.FASTOCTREE).save(buffer, format="PNG",
                                                                      optimize=True)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
