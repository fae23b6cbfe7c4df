"""Static twin of app_pages/style_transfer.py (see bench/twins/app.py): the same controls,
before and after pictures, download and style gallery; each style shows another picture."""

import functools

import numpy as np
import streamlit as st
from PIL import Image

from backend.paths import asset
from bench.twins.common import page_header, photo, timing_line
from ui.i18n import t
from ui.media import jpeg, png

SAMPLE_PHOTOS = ["astronaut", "chelsea", "coffee", "rocket"]
STYLES = [str(i) for i in range(26)] + ["starry_night"]
THUMBNAIL = 88


def style_label(style: str) -> str:
    return (t("style_transfer.style_number", number=int(style) + 1) if style.isdigit()
            else t(f"style_transfer.painting_{style}"))


@st.cache_resource(show_spinner=False)
def style_tiles() -> list[Image.Image]:
    """The gallery's tiles: the 26 shipped thumbnails, then Starry Night's centre square."""
    strip = Image.open(asset("style_transfer", "style_thumbnails.jpg")).convert("RGB")
    tiles = [strip.crop((i * THUMBNAIL, 0, (i + 1) * THUMBNAIL, THUMBNAIL)) for i in range(26)]
    painting = Image.open(asset("style_transfer", "painting_starry_night.jpg")).convert("RGB")
    side = min(painting.size)
    left, top = (painting.width - side) // 2, (painting.height - side) // 2
    return tiles + [painting.resize((THUMBNAIL, THUMBNAIL), Image.LANCZOS,
                                    box=(left, top, left + side, top + side))]


@st.cache_resource(show_spinner=False)
def gallery() -> list[bytes]:
    return [jpeg(tile) for tile in style_tiles()]


@st.cache_resource(show_spinner=False)
def paintings(sample: str, side: int) -> tuple[bytes, list[tuple[Image.Image, bytes]]]:
    """The photo at `side` px, and for every style a stand-in for the painted photo (the
    photo blended with the style's tile repeated: as detailed as a painting), each encoded
    once."""
    original = photo(sample)
    scale = side / max(original.size)
    before = original.resize((round(original.width * scale), round(original.height * scale)),
                             Image.LANCZOS)
    repeats = (before.height // THUMBNAIL + 1, before.width // THUMBNAIL + 1, 1)
    painted = [Image.blend(before, Image.fromarray(np.tile(np.asarray(tile), repeats)[
        :before.height, :before.width]), 0.6) for tile in style_tiles()]
    return jpeg(before), [(picture, jpeg(picture)) for picture in painted]


page_header("style_transfer")

controls, results = st.columns([2, 3], gap="large")
with controls:
    st.subheader(t("style_transfer.photo"))
    sample = st.segmented_control(
        t("style_transfer.sample"), SAMPLE_PHOTOS, default=SAMPLE_PHOTOS[0],
        format_func=lambda name: t(f"style_transfer.sample_{name}"), key="style_transfer.sample")
    st.file_uploader(t("style_transfer.upload_photo"), type=["jpg", "jpeg", "png", "webp"],
                     key="style_transfer.photo_upload")
    st.subheader(t("style_transfer.style"))
    st.file_uploader(t("style_transfer.upload_painting"), type=["jpg", "jpeg", "png", "webp"],
                     key="style_transfer.painting_upload")
    labels = [style_label(style) for style in STYLES]
    chosen = st.selectbox(t("style_transfer.pick_style"), labels, index=19,
                          key="style_transfer.style")
    st.toggle(t("style_transfer.mix"), key="style_transfer.mix")
    st.slider(t("style_transfer.strength"), 0.0, 1.0, 1.0, 0.05, key="style_transfer.strength",
              help=t("style_transfer.strength_help"))
    side = st.slider(t("style_transfer.size"), 256, 1024, 512, 64, key="style_transfer.size")

shown_photo, painted = paintings(sample or SAMPLE_PHOTOS[0], side)
picture, shown = painted[labels.index(chosen)]
with results:
    timing_line()
    before_column, after_column = st.columns(2)
    before_column.image(shown_photo, caption=t("style_transfer.before"), width="stretch")
    caption = t("style_transfer.after", width=picture.width, height=picture.height)
    after_column.image(shown, caption=caption, width="stretch")
    st.download_button(t("style_transfer.download"), functools.partial(png, picture),
                       file_name="stylized.png", mime="image/png", icon="⬇️",
                       on_click="ignore", key="style_transfer.download")

st.subheader(t("style_transfer.gallery"))
st.image(gallery(), caption=labels, width=THUMBNAIL)
