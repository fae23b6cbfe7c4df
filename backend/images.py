"""Safe loading of untrusted image uploads, shared by every page that takes a photo.

An upload may be anything: not an image at all, a truncated file, a decompression bomb (a
tiny file that expands to gigapixels), a phone photo stored sideways with an EXIF rotation
flag, a 16-bit or CMYK or palette or transparent or animated image. `load_image` turns every
acceptable upload into a plain RGB image of bounded size and refuses the rest with an
`ImageError` whose `key` names a translated message for the page.
"""

from __future__ import annotations

import contextlib
import io
import struct
import threading
from collections.abc import Iterator

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP")
MAX_PIXELS = 40_000_000          # a 40-megapixel photo still opens; a bomb does not
MIN_SIDE = 16
DEFAULT_MAX_SIDE = 2048          # what any model here needs at most; decoding stops there


class ImageError(ValueError):
    """An upload the gallery refuses; `key` is a translation key, `params` fill its blanks."""

    def __init__(self, key: str, **params: object):
        super().__init__(key)
        self.key = key
        self.params = params


def load_image(data: bytes, max_side: int = DEFAULT_MAX_SIDE) -> Image.Image:
    """Decode an untrusted upload into an RGB image whose longest side is at most max_side."""
    if not data:
        raise ImageError("images.empty")
    image = _open(data)  # only the header is read so far: the size is known, nothing decoded
    if image.width * image.height > MAX_PIXELS:
        raise ImageError("images.too_many_pixels", megapixels=round(
            image.width * image.height / 1e6), limit=MAX_PIXELS // 1_000_000)
    if min(image.size) < MIN_SIDE:
        raise ImageError("images.too_small", side=MIN_SIDE)
    if image.format == "JPEG":
        # Let libjpeg decode at a reduced scale instead of decoding everything and shrinking.
        image.draft("RGB", (max_side, max_side))
    try:
        image.seek(0)            # animated WebP/PNG: the first frame stands for the image
        image.load()
    except (OSError, ValueError, SyntaxError) as error:
        raise ImageError("images.corrupt") from error
    image = ImageOps.exif_transpose(image)
    image = _to_rgb(image)
    if max(image.size) > max_side:
        image.thumbnail((max_side, max_side), Image.LANCZOS)
    return image


def _open(data: bytes) -> Image.Image:
    """The upload opened lazily (its header read, no pixel decoded) by one of the decoders of
    ALLOWED_FORMATS; only those ever parse an upload."""
    try:
        with _pillows_bomb_check_off():
            image = Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS)
    except UnidentifiedImageError as error:
        name = _format_name(data)
        if name in ALLOWED_FORMATS:  # its signature, but a header its decoder rejects
            raise ImageError("images.corrupt") from error
        if name is not None:
            raise ImageError("images.unsupported_format", format=name,
                             allowed=", ".join(ALLOWED_FORMATS)) from error
        raise ImageError("images.not_an_image") from error
    except (OSError, ValueError, SyntaxError, EOFError) as error:
        raise ImageError("images.corrupt") from error
    return image


# Pillow refuses images above Image.MAX_IMAGE_PIXELS as soon as it has read their header,
# before the caller can learn their size; load_image checks the stricter MAX_PIXELS itself,
# also before decoding, so that its message can say how large the image is. The limit is
# global to the process, so it is lifted under a lock, only for the header read.
_BOMB_CHECK_LOCK = threading.Lock()


@contextlib.contextmanager
def _pillows_bomb_check_off() -> Iterator[None]:
    with _BOMB_CHECK_LOCK:
        limit, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None
        try:
            yield
        finally:
            Image.MAX_IMAGE_PIXELS = limit


def _format_name(data: bytes) -> str | None:
    """The format whose signature `data` starts with (e.g. "GIF"), by Pillow's own format
    checks on the first 16 bytes, without parsing anything; None if no format claims it."""
    Image.init()
    prefix = data[:16]
    for name, (_, accept) in Image.OPEN.items():
        if accept is None:  # formats without a signature would claim anything
            continue
        try:
            claimed = accept(prefix)
        except (SyntaxError, IndexError, TypeError, struct.error):
            continue  # a check that needs more bytes than a tiny file has (BMP's on b"G")
        if claimed and not isinstance(claimed, str):  # a string is a warning, not a match
            return name
    return None


def _to_rgb(image: Image.Image) -> Image.Image:
    """Any Pillow mode to 8-bit RGB; transparency is laid on white, like a page behind it."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        # 16-bit and float grayscale: rescale the real range to 0..255 instead of clipping.
        pixels = np.asarray(image, dtype=np.float64)
        low, high = float(pixels.min()), float(pixels.max())
        scaled = (pixels - low) / (high - low or 1.0) * 255
        image = Image.fromarray(scaled.round().astype(np.uint8), mode="L")
    if image.mode == "P" or image.mode == "PA":
        image = image.convert("RGBA")
    if image.mode in ("RGBA", "LA", "La", "RGBa"):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    return image.convert("RGB")
