"""backend.images opens every acceptable upload as bounded RGB and refuses the rest by name.

The bad files are built here, one per kind of trouble an upload can bring.
"""

import io

import numpy as np
import pytest
from PIL import Image, ImageFile

from backend.images import MAX_PIXELS, ImageError, _to_rgb, load_image


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
    # whole numbers, so that the message reads "400 megapixels, at most 40", not "40.0"
    assert all(type(value) is int for value in caught.value.params.values())


def test_an_image_of_exactly_the_pixel_limit_still_opens(monkeypatch):
    import backend.images
    monkeypatch.setattr(backend.images, "MAX_PIXELS", 64 * 64)  # the limit, shrunk to test
    assert load_image(encode(Image.new("RGB", (64, 64)), "PNG")).size == (64, 64)
    assert refused(encode(Image.new("RGB", (64, 65)), "PNG")) == "images.too_many_pixels"


def test_the_shortest_side_allowed_opens_and_one_pixel_less_is_too_small():
    assert load_image(encode(Image.new("RGB", (16, 64)), "PNG")).size == (16, 64)
    with pytest.raises(ImageError) as caught:
        load_image(encode(Image.new("RGB", (64, 15)), "PNG"))
    assert caught.value.key == "images.too_small" and caught.value.params == {"side": 16}


def test_a_big_jpeg_is_decoded_at_a_reduced_scale(monkeypatch):
    # libjpeg decodes a 4096 px photo at 1/4 scale when 1024 px are asked for: a quarter of
    # the time, a sixteenth of the memory, before anything is resized.
    import backend.images
    decoded = []
    transpose = backend.images.ImageOps.exif_transpose
    monkeypatch.setattr(backend.images.ImageOps, "exif_transpose",
                        lambda image: decoded.append(image.size) or transpose(image))
    image = load_image(encode(Image.new("RGB", (4096, 4096), "gray"), "JPEG"), max_side=1024)
    assert decoded == [(1024, 1024)] and image.size == (1024, 1024)


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


def test_a_format_is_named_even_where_another_formats_check_needs_more_bytes():
    # Two bytes of a PPM header: the DIB check before PPM's raises on so short a file; the
    # search goes on, so the visitor still learns which formats to use.
    with pytest.raises(ImageError) as caught:
        load_image(b"P6")
    assert caught.value.key == "images.unsupported_format"
    assert caught.value.params["format"] == "PPM"


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
    # the whole range is spread over 0..255 in order: darkest first, brightest last
    grays = pixels[..., 0].ravel().astype(int)
    assert grays[0] == 0 and grays[-1] == 255 and np.all(np.diff(grays) >= 0)
    assert abs(grays[len(grays) // 2] - 128) <= 1


@pytest.mark.parametrize("mode", ["I;16", "I;16B", "I;16L", "I", "F"])
def test_every_deep_grayscale_mode_is_rescaled_not_clipped(mode):
    # PNG brings I;16; the other deep modes (big/little-endian 16-bit, 32-bit int, float)
    # take the same way: the image's own range becomes 0..255.
    ramp = np.linspace(1000, 3000, 16 * 16).reshape(16, 16)
    deep = Image.fromarray(ramp.astype(np.int32)).convert(mode) if mode != "F" else \
        Image.fromarray(ramp.astype(np.float32))
    assert deep.mode == mode
    grays = np.asarray(_to_rgb(deep))[..., 0].ravel().astype(int)
    assert grays[0] == 0 and grays[-1] == 255 and np.all(np.diff(grays) >= 0)
    flat = np.asarray(_to_rgb(Image.new(mode, (16, 16), 7)))  # one value: no division by 0
    assert flat.shape == (16, 16, 3) and flat.max() == 0


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
    palette.paste(1, (16, 0, 32, 32))  # the right half in the transparent colour
    image = load_image(encode(palette, "PNG", transparency=1))
    assert image.mode == "RGB" and tuple(np.asarray(image)[0, 0]) == (0, 0, 255)
    assert tuple(np.asarray(image)[0, 20]) == (255, 255, 255)  # on white, not green


def test_grayscale_with_transparency_is_laid_on_white():
    gray_alpha = Image.new("LA", (32, 32), (0, 0))
    gray_alpha.paste((40, 255), (0, 0, 16, 32))  # the left half opaque dark gray
    pixels = np.asarray(load_image(encode(gray_alpha, "PNG")))
    assert tuple(pixels[5, 5]) == (40, 40, 40) and tuple(pixels[5, 25]) == (255, 255, 255)


def test_premultiplied_alpha_is_laid_on_white():
    premultiplied = Image.new("RGBa", (4, 4), (0, 0, 0, 0))
    premultiplied.putpixel((0, 0), (200, 0, 0, 255))
    pixels = np.asarray(_to_rgb(premultiplied))
    assert tuple(pixels[0, 0]) == (200, 0, 0) and tuple(pixels[3, 3]) == (255, 255, 255)


def test_a_palette_with_alpha_is_laid_on_white():
    palette_alpha = Image.new("PA", (4, 4), (0, 0))
    palette_alpha.putpalette([255, 0, 0] * 256)
    palette_alpha.putpixel((0, 0), (0, 255))  # one opaque red pixel, the rest transparent
    pixels = np.asarray(_to_rgb(palette_alpha))
    assert tuple(pixels[0, 0]) == (255, 0, 0) and tuple(pixels[3, 3]) == (255, 255, 255)


def test_an_animated_webp_gives_its_first_frame():
    frames = [Image.new("RGB", (32, 32), colour) for colour in ("red", "blue", "green")]
    data = encode(frames[0], "WEBP", save_all=True, append_images=frames[1:], lossless=True)
    red, green, blue = np.asarray(load_image(data), int)[16, 16]
    assert red > 200 and green < 50 and blue < 50


def test_a_huge_image_is_downscaled_before_anyone_uses_it():
    image = load_image(encode(Image.new("RGB", (4000, 1000), "gray"), "JPEG"), max_side=1024)
    assert image.size == (1024, 256)
