"""The style transfer page, headless (AppTest): uploads, styles, mixing, sizes, bad files.

The bad files are built here, one per kind of trouble an upload can bring; each must give its
message on the page while the page keeps working with the sample photo.
"""

import io
import re

import numpy as np
import pytest
from PIL import Image

from tests.apptest import full_heavy_line, run_page

PAGE = "app_pages/style_transfer.py"
AFTER = re.compile(r"After \((\d+)x(\d+)\)")


def encode(image: Image.Image, format: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=format, **options)
    return buffer.getvalue()


def gradient(width: int, height: int) -> Image.Image:
    x = np.linspace(0, 255, width)[None, :, None]
    y = np.linspace(0, 255, height)[:, None, None]
    return Image.fromarray(np.concatenate(
        [np.broadcast_to(x, (height, width, 1)), np.broadcast_to(y, (height, width, 1)),
         np.full((height, width, 1), 128.0)], axis=2).astype(np.uint8))


def result_size(app) -> tuple[int, int]:
    captions = [caption for image in app.get("image") for caption in image.captions
                if AFTER.match(caption)]
    assert len(captions) == 1, "exactly one stylized result is shown"
    width, height = AFTER.match(captions[0]).groups()
    return int(width), int(height)


def warnings(app) -> list[str]:
    return [warning.value for warning in app.warning]


@pytest.fixture(scope="module")
def app():
    app = run_page(PAGE, lang="en")
    assert not app.exception
    return app


def test_sample_photo_is_stylized_with_time_and_device(app):
    assert result_size(app) == (512, 512)          # the astronaut, 512 px by default
    assert any(re.match(r"⏱ \d+ ms on cpu", caption.value) for caption in app.caption)
    assert app.get("download_button"), "the result can be downloaded"


def test_uploaded_photo_is_stylized_at_the_chosen_size(app):
    app.file_uploader(key="style_transfer.photo_upload").upload(
        "holiday.png", encode(gradient(300, 200), "PNG"), "image/png").run()
    assert not app.exception and not warnings(app)
    assert any(c.value == "Using your photo." for c in app.caption)
    assert result_size(app) == (512, 341)
    app.slider(key="style_transfer.size").set_value(256).run()
    assert result_size(app) == (256, 171)


def test_painting_strength_and_mixing(app):
    app.selectbox(key="style_transfer.style").set_value("Starry Night (Van Gogh)").run()
    app.slider(key="style_transfer.strength").set_value(0.4).run()
    assert not app.exception and result_size(app)
    app.selectbox(key="style_transfer.style").set_value("Style 4").run()
    app.toggle(key="style_transfer.mix").set_value(True).run()
    app.selectbox(key="style_transfer.second_style").set_value("Style 13").run()
    app.slider(key="style_transfer.mix_amount").set_value(0.3).run()
    assert not app.exception and result_size(app)


def test_uploaded_painting_becomes_a_style(app):
    painting = gradient(120, 90).rotate(30)
    app.file_uploader(key="style_transfer.painting_upload").upload(
        "my_painting.webp", encode(painting, "WEBP"), "image/webp").run()
    assert "Your painting" in app.selectbox(key="style_transfer.style").options
    app.selectbox(key="style_transfer.style").set_value("Your painting").run()
    assert not app.exception and not warnings(app) and result_size(app)


def _bomb() -> bytes:
    return encode(Image.new("1", (20_000, 20_000)), "PNG")  # a few kB, 400 megapixels


def _truncated() -> bytes:
    noise = np.random.default_rng(0).integers(0, 255, (256, 256, 3), dtype=np.uint8)
    data = encode(Image.fromarray(noise), "PNG")
    return data[: len(data) // 2]


BAD_UPLOADS = {
    "empty": ("empty.jpg", lambda: b"", "The uploaded file is empty."),
    "text": ("notes.png", lambda: b"just some text", "This file is not an image."),
    "gif": ("anim.png", lambda: encode(Image.new("RGB", (64, 64)), "GIF"), "GIF images are not supported"),
    "bmp": ("old.jpg", lambda: encode(Image.new("RGB", (64, 64)), "BMP"), "BMP images are not supported"),
    "tiny": ("icon.png", lambda: encode(Image.new("RGB", (8, 64)), "PNG"), "This image is too small"),
    "truncated": ("cut.png", _truncated, "damaged or incomplete"),
    "bomb": ("bomb.png", _bomb, "This image is too large"),
}


@pytest.fixture(scope="module")
def small_app():
    """One page at 256 px that the upload tests below take turns on."""
    app = run_page(PAGE, lang="en")
    return app.slider(key="style_transfer.size").set_value(256).run()


@pytest.mark.parametrize("kind", list(BAD_UPLOADS))
def test_bad_photo_upload_gives_its_message_and_the_sample_is_used(small_app, kind):
    name, make, message = BAD_UPLOADS[kind]
    small_app.file_uploader(key="style_transfer.photo_upload").upload(name, make()).run()
    assert not small_app.exception
    assert any(message in warning for warning in warnings(small_app)), warnings(small_app)
    assert result_size(small_app) == (256, 256)  # the page goes on with the astronaut


GOOD_ODD_UPLOADS = {
    "cmyk": ("print.jpg", lambda: encode(Image.new("CMYK", (64, 48), (0, 255, 255, 0)), "JPEG"), (256, 192)),
    "palette_alpha": ("logo.png", lambda: encode(Image.new("P", (64, 32), 0), "PNG", transparency=0), (256, 128)),
    "sixteen_bit": ("scan.png", lambda: encode(Image.fromarray(
        np.linspace(0, 60000, 48 * 64).reshape(48, 64).astype(np.uint16)), "PNG"), (256, 192)),
    "animated_webp": ("clip.webp", lambda: encode(Image.new("RGB", (32, 64), "red"), "WEBP", save_all=True,
                                                 append_images=[Image.new("RGB", (32, 64), "blue")]), (128, 256)),
    "exif_rotated": ("phone.jpg", lambda: encode(gradient(80, 40), "JPEG", exif=_rotate_90()), (128, 256)),
}


def _rotate_90() -> bytes:
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 degrees clockwise to display"
    return exif.tobytes()


@pytest.mark.parametrize("kind", list(GOOD_ODD_UPLOADS))
def test_unusual_but_valid_photos_are_converted_and_stylized(small_app, kind):
    name, make, size = GOOD_ODD_UPLOADS[kind]
    small_app.file_uploader(key="style_transfer.photo_upload").upload(name, make()).run()
    assert not small_app.exception and not warnings(small_app)
    assert result_size(small_app) == size


def test_bad_painting_upload_gives_its_message(small_app):
    small_app.file_uploader(key="style_transfer.painting_upload").upload("art.png", b"not a painting").run()
    assert any("This file is not an image." in w for w in warnings(small_app))
    assert "Your painting" not in small_app.selectbox(key="style_transfer.style").options


def test_page_speaks_hungarian():
    app = run_page(PAGE, lang="hu")
    assert not app.exception
    assert app.title[0].value == "Stílustranszfer"
    assert any(re.match(r"⏱ \d+ ms, eszköz: cpu", caption.value) for caption in app.caption)


def test_a_big_painting_is_painted_through_the_heavy_work_line():
    app = run_page(PAGE, lang="en")
    app.slider(key="style_transfer.size").set_value(1024).run()
    assert not app.exception and not warnings(app)
    assert result_size(app) == (1024, 1024)
    # Painted once, then shared from the cache: the same request again is light.
    app.slider(key="style_transfer.strength").set_value(0.5).run()
    app.slider(key="style_transfer.strength").set_value(1.0).run()
    assert result_size(app) == (1024, 1024)


@pytest.mark.parametrize("lang, message", [("en", "Please try again in a minute"),
                                           ("hu", "Próbáld újra egy perc múlva")])
def test_a_full_line_says_so_and_shows_no_result(monkeypatch, lang, message):
    """A real line with its one worker taken and no room to wait: the page says it is busy."""
    with full_heavy_line(monkeypatch, "painting"):
        app = run_page(PAGE, lang=lang)
        app.slider(key="style_transfer.size").set_value(960).run()
        assert not app.exception
        assert any(message in warning for warning in warnings(app)), warnings(app)
        sizes = [c for image in app.get("image") for c in image.captions
                 if re.search(r"\(\d+x\d+\)$", c)]  # "After (WxH)", "Utána (WxH)"
        assert sizes == []
        assert not app.get("download_button")
        assert not [c for c in app.caption if c.value.startswith("⏱")], "no time for no work"
