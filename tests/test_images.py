"""backend.images opens every acceptable upload as bounded RGB and refuses the rest by name.

The bad files are built here, one per kind of trouble an upload can bring.
"""

import io

import numpy as np
import pytest
from PIL import Image, ImageFile

from backend.images import MAX_PIXELS, ImageError, load_image


def encode(image: Image.Image, format: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=format, **options)
    return buffer.getvalue()


def refused(data: bytes) -> str:
    with pytest.raises(ImageError) as caught:
        load_image(data)
    return caught.value.key


def test_a_plain_photo_opens_as_rgb():
    photo = Image.new("RGB", (64, 48), (200, 30, 10))
    image = load_image(encode(photo, "JPEG"))
    assert (image.mode, image.size) == ("RGB", (64, 48))
    assert np.abs(np.asarray(image, int)[24, 32] - (200, 30, 10)).max() < 8


@pytest.mark.parametrize("data, key", [
    (b"", "images.empty"),
    (b"this is a text file, not a picture", "images.not_an_image"),
    (encode(Image.new("RGB", (64, 64)), "GIF"), "images.unsupported_format"),
    (encode(Image.new("RGB", (64, 64)), "BMP"), "images.unsupported_format"),
    (encode(Image.new("RGB", (8, 64)), "PNG"), "images.too_small"),
], ids=["empty", "text", "gif", "bmp", "tiny"])
def test_bad_uploads_are_refused_with_their_reason(data, key):
    assert refused(data) == key


def test_a_truncated_file_is_refused_as_corrupt():
    noise = np.random.default_rng(0).integers(0, 255, (256, 256, 3), dtype=np.uint8)
    data = encode(Image.fromarray(noise), "PNG")
    assert refused(data[: len(data) // 2]) == "images.corrupt"


def test_a_decompression_bomb_is_refused_without_decoding_it(monkeypatch):
    # A 1-bit PNG of 20000 x 20000 zeros: a few kilobytes that would decode to 400 megapixels.
    bomb = encode(Image.new("1", (20_000, 20_000)), "PNG")
    assert len(bomb) < 200_000 and 20_000 * 20_000 > MAX_PIXELS

    def no_decoding(image):
        raise AssertionError("a bomb must be refused from its header alone")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    with pytest.raises(ImageError) as caught:
        load_image(bomb)
    # Above Pillow's own limit too, yet the message can say how large it is.
    assert 20_000 * 20_000 > 2 * Image.MAX_IMAGE_PIXELS
    assert caught.value.key == "images.too_many_pixels"
    assert caught.value.params == {"megapixels": 400, "limit": MAX_PIXELS // 1_000_000}


def test_pillows_own_bomb_limit_is_back_after_an_upload():
    limit = Image.MAX_IMAGE_PIXELS
    refused(encode(Image.new("1", (20_000, 20_000)), "PNG"))
    load_image(encode(Image.new("RGB", (32, 32)), "PNG"))
    assert Image.MAX_IMAGE_PIXELS == limit


def animated_gif() -> bytes:
    frames = [Image.new("RGB", (64, 64), colour) for colour in ("red", "blue", "green")]
    return encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=80, loop=0)


@pytest.mark.parametrize("data", [animated_gif(), animated_gif()[:40]],
                         ids=["animated", "truncated"])
def test_a_gif_is_named_as_an_unsupported_format(data):
    # A GIF whose frames Pillow's GIF reader cannot parse (a download cut short) is still
    # a GIF: the visitor learns which formats to use, not that the file is no picture.
    with pytest.raises(ImageError) as caught:
        load_image(data)
    assert caught.value.key == "images.unsupported_format"
    assert caught.value.params == {"format": "GIF", "allowed": "JPEG, PNG, WEBP"}


def test_a_broken_header_of_an_allowed_format_is_corrupt_not_unsupported():
    assert refused(b"\x89PNG\r\n\x1a\n" + bytes(30)) == "images.corrupt"


def test_exif_orientation_is_applied():
    landscape = Image.new("RGB", (80, 40), "white")
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 degrees clockwise to display"
    image = load_image(encode(landscape, "JPEG", exif=exif.tobytes()))
    assert image.size == (40, 80)


def test_sixteen_bit_grayscale_keeps_its_contrast():
    ramp = np.linspace(1000, 3000, 64 * 64).reshape(64, 64).astype(np.uint16)
    image = load_image(encode(Image.fromarray(ramp), "PNG"))
    pixels = np.asarray(image)
    assert image.mode == "RGB" and pixels.min() == 0 and pixels.max() == 255


def test_cmyk_jpeg_becomes_rgb():
    image = load_image(encode(Image.new("CMYK", (32, 32), (0, 255, 255, 0)), "JPEG"))
    red, green, blue = np.asarray(image, int)[16, 16]
    assert image.mode == "RGB" and red > 200 and green < 60 and blue < 60


def test_transparency_is_laid_on_white():
    rgba = Image.new("RGBA", (32, 32), (0, 0, 0, 0))
    rgba.paste((255, 0, 0, 255), (0, 0, 16, 32))
    pixels = np.asarray(load_image(encode(rgba, "PNG")))
    assert tuple(pixels[5, 5]) == (255, 0, 0) and tuple(pixels[5, 25]) == (255, 255, 255)


def test_palette_image_with_transparency_becomes_rgb():
    palette = Image.new("P", (32, 32), 0)
    palette.putpalette([0, 0, 255] + [0, 255, 0] * 255)
    image = load_image(encode(palette, "PNG", transparency=1))
    assert image.mode == "RGB" and tuple(np.asarray(image)[0, 0]) == (0, 0, 255)


def test_an_animated_webp_gives_its_first_frame():
    frames = [Image.new("RGB", (32, 32), colour) for colour in ("red", "blue", "green")]
    data = encode(frames[0], "WEBP", save_all=True, append_images=frames[1:], lossless=True)
    red, green, blue = np.asarray(load_image(data), int)[16, 16]
    assert red > 200 and green < 50 and blue < 50


def test_a_huge_image_is_downscaled_before_anyone_uses_it():
    image = load_image(encode(Image.new("RGB", (4000, 1000), "gray"), "JPEG"), max_side=1024)
    assert image.size == (1024, 256)
