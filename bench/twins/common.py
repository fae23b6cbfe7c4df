"""What the static twins share: the page header, the timing line, and fixed pictures.

A twin may use ui.i18n, ui.figures, ui.media and backend.paths (which imports nothing), but
no other backend module, nor torch or ui.loaders: it must cost nothing but Streamlit's and the
browser's work. So its pictures are encoded once, as the JPEG (or, where transparent, PNG)
bytes that st.image sends as they are.
"""

from __future__ import annotations

import numpy as np
import streamlit as st
from PIL import Image

from backend.paths import asset
from ui.i18n import t

# st.image encodes an array or a PIL picture as a JPEG of this quality (bytes it sends as they
# are): a twin of a page that passes those sends its pictures at this quality too.
ST_IMAGE_QUALITY = 100


def page_header(key: str) -> None:
    """ui.common.page_header, repeated here because ui.common imports torch."""
    st.title(t(f"{key}.title"))
    st.markdown(t(f"{key}.teaser"))
    with st.expander(t("common.about")):
        st.markdown(t(f"{key}.explanation"))


def timing_line(device: str = "cpu") -> None:
    """The real pages' "⏱ N ms on device" caption (ui.common.timed), with a made-up time."""
    st.caption(t("common.timing", ms=0.0, device=device))


@st.cache_resource(show_spinner=False)
def digits() -> np.ndarray:
    """1,000 held-out MNIST digits, uint8 [1000, 28, 28]: the pictures of the digit twins."""
    return np.load(asset("autoencoder", "held_out.npz"))["images"]


@st.cache_resource(show_spinner=False)
def photo(name: str) -> Image.Image:
    """A sample photo from assets/style_transfer (photo_<name>.jpg) as an RGB image."""
    return Image.open(asset("style_transfer", f"photo_{name}.jpg")).convert("RGB")
