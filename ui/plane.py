"""Pictures of the 2-D plane [-span, span]² that the small-data demos draw on: a coloured
field (a decision surface, a critic's values), point sets, transport lines and arrows.

Drawn with Pillow on the server and sent as one JPEG per frame: cheaper per animation frame
than a plotly figure with hundreds of shapes, and the same on a phone and a projector. Drawn
at twice the size and shrunk, for smooth edges. y points up, as in the lecture's plots.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import streamlit as st
from PIL import Image, ImageDraw

SUPERSAMPLE = 2


def rgb(colour: str) -> tuple[int, int, int]:
    """'#f59322' -> (245, 147, 34)."""
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


def diverging_field(values: np.ndarray, negative: str, positive: str, size: int,
                    strength: float = 0.65) -> Image.Image:
    """Values [R, R] in -1..1 (row 0 at the top) as colour: `negative` below 0, white at 0,
    `positive` above, stretched to size x size."""
    amount = np.clip(np.abs(values), 0, 1)[..., None] * strength
    colour = np.where(values[..., None] > 0, np.array(rgb(positive)), np.array(rgb(negative)))
    pixels = (255 * (1 - amount) + colour * amount).astype(np.uint8)
    return Image.fromarray(pixels).resize((size, size), Image.BILINEAR)


class PlaneDrawing:
    """Layers drawn onto a base picture of the plane; `picture()` gives the result."""

    def __init__(self, base: Image.Image, span: float):
        self.size, self.span = base.width, span
        self._image = base.convert("RGB").resize(
            (base.width * SUPERSAMPLE, base.height * SUPERSAMPLE), Image.BILINEAR)
        self._draw = ImageDraw.Draw(self._image)

    def _pixels(self, xy: np.ndarray) -> np.ndarray:
        scale = self.size * SUPERSAMPLE
        pixels = (np.asarray(xy, dtype=np.float64) / self.span + 1) / 2 * scale
        pixels[:, 1] = scale - pixels[:, 1]
        return pixels

    def points(self, xy: np.ndarray, colours: Sequence[str] | str, radius: float = 4.5,
               rim: str | None = None) -> PlaneDrawing:
        """Dots at xy [N, 2]; one colour for all or one each; an optional rim colour."""
        colours = [colours] * len(xy) if isinstance(colours, str) else colours
        r = radius * SUPERSAMPLE
        for (x, y), colour in zip(self._pixels(xy), colours):
            if rim is not None:
                outer = r + 1.5 * SUPERSAMPLE
                self._draw.ellipse((x - outer, y - outer, x + outer, y + outer), fill=rim)
            self._draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
        return self

    def segments(self, starts: np.ndarray, ends: np.ndarray, colour: str,
                 widths: Sequence[float] | float = 1.0) -> PlaneDrawing:
        """Lines from starts [N, 2] to ends [N, 2], e.g. where each point's earth goes."""
        widths = [widths] * len(starts) if np.isscalar(widths) else widths
        for (x0, y0), (x1, y1), width in zip(self._pixels(starts), self._pixels(ends), widths):
            self._draw.line((x0, y0, x1, y1), fill=colour,
                            width=max(1, round(width * SUPERSAMPLE)))
        return self

    def arrows(self, starts: np.ndarray, directions: np.ndarray, colour: str, scale: float,
               longest: float) -> PlaneDrawing:
        """Arrows from starts [N, 2] along directions [N, 2], `scale` plane units per unit of
        direction (so a vanishing gradient shows as a vanishing arrow), at most `longest`."""
        directions = np.asarray(directions, dtype=np.float64) * scale
        lengths = np.linalg.norm(directions, axis=1, keepdims=True)
        directions = directions * np.minimum(1.0, longest / np.maximum(lengths, 1e-12))
        width = 1.5 * SUPERSAMPLE
        for (x0, y0), (x1, y1) in zip(self._pixels(starts), self._pixels(starts + directions)):
            self._draw.line((x0, y0, x1, y1), fill=colour, width=round(width))
            dx, dy = x1 - x0, y1 - y0
            norm = np.hypot(dx, dy)
            if norm < 3 * width:
                continue
            ux, uy = dx / norm, dy / norm
            head = 3.5 * width
            left = (x1 - head * ux + head * 0.5 * uy, y1 - head * uy - head * 0.5 * ux)
            right = (x1 - head * ux - head * 0.5 * uy, y1 - head * uy + head * 0.5 * ux)
            self._draw.polygon([(x1, y1), left, right], fill=colour)
        return self

    def picture(self) -> Image.Image:
        return self._image.resize((self.size, self.size), Image.BOX)


def blank_plane(size: int) -> Image.Image:
    """A white plane with its two axes in light grey."""
    pixels = np.full((size, size, 3), 255, np.uint8)
    pixels[size // 2, :] = pixels[:, size // 2] = 210
    return Image.fromarray(pixels)


def new_click(key: str, span: float) -> tuple[float, float] | None:
    """Where on the plane the visitor clicked (or tapped) the picture shown with
    streamlit_image_coordinates(..., key=key); None unless it is a click not seen before
    (the widget keeps its last value across reruns)."""
    click = st.session_state.get(key)
    if not click or click == st.session_state.get(key + ".seen"):
        return None
    st.session_state[key + ".seen"] = click
    return ((2 * click["x"] / click["width"] - 1) * span,
            (1 - 2 * click["y"] / click["height"]) * span)
