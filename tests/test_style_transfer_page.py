"""The style transfer page, headless (AppTest): uploads, styles, mixing, sizes, bad files,
the settings in the URL.

The bad files are built here, one per kind of trouble an upload can bring; each must give its
message on the page while the page keeps working with the sample photo.
"""

import io
import re

import numpy as np
import pytest
from PIL import Image
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import app_test

from backend import style_transfer as stl
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
    assert any(c.value == "This page's link keeps your settings, not your upload."
               for c in app.caption)
    assert app.query_params["sample"] == "astronaut"  # the other settings stay in the URL
    assert result_size(app) == (512, 341)
    app.slider(key="style_transfer.size").set_value(256).run()
    assert result_size(app) == (256, 171)


def test_painting_strength_and_mixing(app):
    app.selectbox(key="style_transfer.style").set_value("starry_night").run()
    app.slider(key="style_transfer.strength").set_value(0.4).run()
    assert not app.exception and result_size(app)
    app.selectbox(key="style_transfer.style").set_value("3").run()  # "Style 4"
    app.toggle(key="style_transfer.mix").set_value(True).run()
    app.selectbox(key="style_transfer.second_style").set_value("12").run()
    app.slider(key="style_transfer.mix_amount").set_value(0.3).run()
    assert not app.exception and result_size(app)


def test_uploaded_painting_becomes_a_style(app):
    painting = gradient(120, 90).rotate(30)
    app.file_uploader(key="style_transfer.painting_upload").upload(
        "my_painting.webp", encode(painting, "WEBP"), "image/webp").run()
    assert "Your painting" in app.selectbox(key="style_transfer.style").options
    app.selectbox(key="style_transfer.style").set_value("uploaded").run()
    assert not app.exception and not warnings(app) and result_size(app)
    assert any(c.value == "This page's link keeps your settings, not your upload."
               for c in app.caption)
    assert app.query_params["style"] == stl.PaintingConfig.style  # the upload is not in the URL


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


@pytest.fixture
def small_app():
    """A fresh page at 256 px for each upload test (one shared page made the tests depend on
    each other's order: an earlier upload's state leaked into the next)."""
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


DEFAULT_QUERY = stl.PaintingConfig().to_query()


def after_picture(app) -> str:
    """The result's media file name: a hash of its content, the same for the same picture."""
    [url] = [image.proto.imgs[0].url for image in app.get("image")
             if any(AFTER.match(caption) for caption in image.captions)]
    return url


def settings(app) -> dict:
    """What the page's widgets show (the mix's own widgets only while mixing)."""
    shown = {name: widget(key=f"style_transfer.{name}").value for name, widget in (
        ("sample", app.segmented_control), ("style", app.selectbox), ("mix", app.toggle),
        ("strength", app.slider), ("size", app.slider))}
    if shown["mix"]:
        shown["second_style"] = app.selectbox(key="style_transfer.second_style").value
        shown["mix_amount"] = app.slider(key="style_transfer.mix_amount").value
    return shown


def test_the_settings_are_in_the_url_from_the_start():
    assert dict(run_page(PAGE).query_params) == DEFAULT_QUERY
    assert set(DEFAULT_QUERY) == {"sample", "style", "mix", "style2", "amount", "strength", "size"}


def test_a_shared_url_opens_the_same_painting():
    app = run_page(PAGE, query={"sample": "coffee", "style": "starry_night", "strength": "0.4",
                                "size": "320"})
    assert not app.exception and not warnings(app)
    assert settings(app) == {"sample": "coffee", "style": "starry_night", "mix": False,
                             "strength": 0.4, "size": 320}
    assert result_size(app) == (320, 213)  # the coffee photo is 3:2
    by_hand = run_page(PAGE)
    # By its label: the control's format_func looks the label up in the visitor's language,
    # which AppTest, calling it outside the script run, does not know.
    by_hand.segmented_control(key="style_transfer.sample").set_value("Coffee").run()
    by_hand.selectbox(key="style_transfer.style").set_value("starry_night").run()
    by_hand.slider(key="style_transfer.strength").set_value(0.4).run()
    by_hand.slider(key="style_transfer.size").set_value(320).run()
    assert after_picture(app) == after_picture(by_hand)


def test_widgets_go_to_the_url_and_a_new_session_opens_them_again():
    app = run_page(PAGE)
    default_picture = after_picture(app)
    app.selectbox(key="style_transfer.style").set_value("3").run()
    app.toggle(key="style_transfer.mix").set_value(True).run()
    app.selectbox(key="style_transfer.second_style").set_value("12").run()
    app.slider(key="style_transfer.mix_amount").set_value(0.3).run()
    app.slider(key="style_transfer.size").set_value(256).run()
    assert dict(app.query_params) == {**DEFAULT_QUERY, "style": "3", "mix": "True",
                                      "style2": "12", "amount": "0.3", "size": "256"}
    shared = run_page(PAGE, query=dict(app.query_params))
    assert not shared.exception and not warnings(shared)
    assert settings(shared) == settings(app) == {
        "sample": "astronaut", "style": "3", "mix": True, "second_style": "12",
        "mix_amount": 0.3, "strength": 1.0, "size": 256}
    assert after_picture(shared) == after_picture(app) != default_picture


def test_a_hidden_mix_keeps_its_settings_in_the_url():
    app = run_page(PAGE, query={"mix": "False", "style2": "7", "amount": "0.8"})
    app.slider(key="style_transfer.size").set_value(256).run()
    assert app.query_params["style2"] == "7" and app.query_params["amount"] == "0.8"
    app.toggle(key="style_transfer.mix").set_value(True).run()
    assert app.selectbox(key="style_transfer.second_style").value == "7"
    assert app.slider(key="style_transfer.mix_amount").value == 0.8


def test_junk_in_the_url_falls_back_to_defaults_or_clamped_values():
    app = run_page(PAGE, query={"sample": "dog", "style": "999", "mix": "perhaps",
                                "style2": "-1", "amount": "lots", "strength": "9",
                                "size": "huge"})
    assert not app.exception and not warnings(app)
    assert settings(app) == {"sample": "astronaut", "style": "19", "mix": False,
                             "strength": 1.0, "size": 512}
    assert dict(app.query_params) == DEFAULT_QUERY, "the URL is cleaned"


def test_a_size_between_the_slider_s_steps_takes_the_nearest_and_a_stale_mix_its_default():
    app = run_page(PAGE, query={"size": "300", "style": "starry_night", "mix": "True",
                                "style2": "5"})
    assert not app.exception
    assert app.slider(key="style_transfer.size").value == 320
    assert result_size(app) == (320, 320)
    # No painting to mix the Starry Night with: the page says so, and the URL keeps the mix.
    assert any("🎨" == info.icon for info in app.info)
    assert app.query_params["mix"] == "True" and app.query_params["size"] == "320"


# --- what the visitor sees: the pictures' pixels ---------------------------------------------

@pytest.fixture
def media(monkeypatch) -> MemoryMediaFileStorage:
    """One media store for every AppTest run of the test, kept after each run, so that the
    test can read the pictures the page showed. AppTest makes a new store for each run and
    drops it when the run ends; this hands it ours instead (if AppTest ever stops making its
    store through this name, pictures() fails loudly: no such media file)."""
    storage = MemoryMediaFileStorage("/mock/media")
    monkeypatch.setattr(app_test, "MemoryMediaFileStorage", lambda endpoint: storage)
    return storage


def pictures(app, media: MemoryMediaFileStorage) -> dict[str, np.ndarray]:
    """The photo ("before") and its painting ("after") as the page shows them: float RGB
    arrays, decoded from the JPEGs sent to the browser."""
    shown = {}
    for element in app.get("image"):
        for image, caption in zip(element.proto.imgs, element.captions):
            name = "after" if AFTER.match(caption) else "before" if caption == "Before" else None
            if name:
                data = media.get_file(image.url.rsplit("/", 1)[1]).content
                shown[name] = np.asarray(Image.open(io.BytesIO(data)).convert("RGB"), float)
    assert set(shown) == {"before", "after"}, "the page shows the photo and its painting"
    return shown


def change_from_photo(app, media) -> float:
    """Mean absolute pixel difference (0-255) between the shown painting and the photo."""
    shown = pictures(app, media)
    return float(np.abs(shown["after"] - shown["before"]).mean())


def test_strength_moves_the_shown_painting_from_the_photo_to_the_style(media):
    app = run_page(PAGE)
    app.slider(key="style_transfer.size").set_value(256).run()  # smaller: faster
    change = {}
    for strength in (1.0, 0.5, 0.0):
        app.slider(key="style_transfer.strength").set_value(strength).run()
        assert not app.exception
        change[strength] = change_from_photo(app, media)
    # Measured with the default style and photo at 256 px: 61.8 at strength 1, 31.0 at 0.5
    # and 0.0 at 0 (the same picture, the same JPEG). A page that ignored the strength
    # would show about 62 for all three; one that showed the photo, 0 for all three.
    assert change[1.0] > 30, "strength 1 paints the photo"
    assert change[0.0] < 1, "strength 0 shows the photo itself"
    assert 0.3 * change[1.0] < change[0.5] < 0.7 * change[1.0], "halfway is in between"


def test_mixing_two_styles_paints_something_between_them(media):
    app = run_page(PAGE, query={"style": "3", "size": "256"})
    style_3 = pictures(app, media)["after"]
    app.selectbox(key="style_transfer.style").set_value("12").run()
    style_12 = pictures(app, media)["after"]
    app.selectbox(key="style_transfer.style").set_value("3").run()
    app.toggle(key="style_transfer.mix").set_value(True).run()
    app.selectbox(key="style_transfer.second_style").set_value("12").run()
    app.slider(key="style_transfer.mix_amount").set_value(0.5).run()
    assert not app.exception
    mixed = pictures(app, media)["after"]

    def difference(a, b) -> float:
        return float(np.abs(a - b).mean())

    # Measured: styles 3 and 12 differ by 99.7; the half-and-half mix is 62.4 from style 3
    # and 54.2 from style 12. A mix left out (or at 0 or 1) would be 0 from one of them.
    apart = difference(style_3, style_12)
    assert apart > 50, "the two styles look different"
    for alone in (style_3, style_12):
        assert 0.25 * apart < difference(mixed, alone) < 0.9 * apart
