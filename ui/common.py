"""Small widgets every demo page uses, so that all pages look and behave alike."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from backend.device import device_label
from ui.i18n import t


def page_header(key: str) -> None:
    """The page's title, its one-line teaser and the lecture's explanation, folded away."""
    st.title(t(f"{key}.title"))
    st.markdown(t(f"{key}.teaser"))
    with st.expander(t("common.about")):
        st.markdown(t(f"{key}.explanation"))


@contextmanager
def timed() -> Iterator[None]:
    """Show how long the model work inside the block took, and on which device."""
    start = time.perf_counter()
    yield
    elapsed_ms = (time.perf_counter() - start) * 1000
    st.caption(t("common.timing", ms=elapsed_ms, device=device_label()))
