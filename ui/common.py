"""Small widgets every demo page uses, so that all pages look and behave alike."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from backend.device import device_label
from ui.classroom import presenting
from ui.i18n import t


def page_header(key: str) -> None:
    """The page's title, its one-line teaser and the lecture's explanation, folded away (not
    in the presenter view: the lecturer is the explanation there, and the projector's height
    is for the demo)."""
    st.title(t(f"{key}.title"))
    st.markdown(t(f"{key}.teaser"))
    if not presenting():
        with st.expander(t("common.about")):
            st.markdown(t(f"{key}.explanation"))


def sections(*labels: str) -> list:
    """Containers for the page's parts: the first one in view, the others as tabs; in the
    presenter view every part is a tab, so that each fits the projector without scrolling."""
    if presenting():
        return st.tabs(labels)
    return [st.container(), *st.tabs(labels[1:])]


class Timing:
    """What `timed` yields: set `shown = False` in its block when the block ended up doing
    no model work (e.g. the heavy-work line was full), so that no time is claimed for it."""
    shown = True


@contextmanager
def timed(device: str | None = None) -> Iterator[Timing]:
    """Show how long the model work inside the block took, and on which device (the torch
    device unless `device` names another, e.g. "cpu (numpy)" for numpy-only work)."""
    timing = Timing()
    start = time.perf_counter()
    yield timing
    elapsed_ms = (time.perf_counter() - start) * 1000
    if timing.shown:
        st.caption(t("common.timing", ms=elapsed_ms, device=device or device_label()))


def visitor_id() -> str:
    """This browser tab's session: the key of what the server keeps per visitor."""
    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else "no-session"  # bare `python page.py`
