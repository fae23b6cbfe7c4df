"""The list of demos: the navigation menu, the home page's cards, the model warm-up, the
benchmarks and the smoke tests all read it.

A demo is a vertical slice, and this list is the only shared file it touches:
    backend/<key>.py         its models and one function per interaction, and its loader
    app_pages/<key>.py       its page: widgets and layout
    texts/<key>.toml         its texts, Hungarian and English side by side
    assets/<key>/            its weights (with their training records)
    assets/thumbnails/<key>.png
A demo is listed here only once its page works end to end (no placeholder pages).
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from backend import paths
from ui.i18n import t


@dataclass(frozen=True)
class Demo:
    key: str          # names the demo's files (above) and its translations' prefix
    icon: str
    loader: str       # "module:function" returning the models every visitor shares; the
                      # warm-up calls it at server start (a string, so the home page needs no torch)
    interaction: str  # its typical interaction in harness.interactions, for the benchmarks

    @property
    def page(self) -> str:
        return f"app_pages/{self.key}.py"

    @property
    def thumbnail(self) -> str:
        """A small PNG made from the demo's real model output."""
        return str(paths.asset("thumbnails", f"{self.key}.png"))

    @property
    def title(self) -> str:
        return t(f"{self.key}.title")

    @property
    def teaser(self) -> str:
        return t(f"{self.key}.teaser")


HOME_PAGE = "app_pages/home.py"

DEMOS: list[Demo] = [
    Demo("autoencoder", "✍️", "backend.autoencoder:load", "draw a digit"),
    Demo("word_vectors", "🔤", "backend.word_vectors:load", "type an expression"),
    Demo("gan", "🎭", "backend.gan:load", "pick an end sample"),
    Demo("style_transfer", "🎨", "backend.style_transfer:load", "pick a style"),
    Demo("adversarial_patch", "🍞", "backend.adversarial_patch:load", "click the photo"),
    Demo("playground", "🎛️", "backend.playground:load", "train one epoch"),
    Demo("wasserstein", "⚖️", "backend.wasserstein:load", "train the critic one step"),
    Demo("speech", "🗣️", "backend.speech:load", "pick another seed"),
]
DEMO_BY_KEY = {demo.key: demo for demo in DEMOS}


def navigation_pages() -> list[st.Page]:
    """The home page followed by one page per demo, titled in the visitor's language."""
    home = st.Page(HOME_PAGE, title=t("app.home"), icon="🏠", default=True)
    return [home] + [st.Page(demo.page, title=demo.title, icon=demo.icon) for demo in DEMOS]
