"""The list of demos: the navigation menu, the home page's cards and the smoke tests all read it.

A demo is listed here only once its page works end to end (no placeholder pages).
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from ui.i18n import t


@dataclass(frozen=True)
class Demo:
    key: str        # translation prefix: "<key>.title" and "<key>.teaser" name the demo
    page: str       # the page script, relative to the repository root
    icon: str
    thumbnail: str  # a small PNG made from the demo's real model output

    @property
    def title(self) -> str:
        return t(f"{self.key}.title")

    @property
    def teaser(self) -> str:
        return t(f"{self.key}.teaser")


HOME_PAGE = "app_pages/home.py"

DEMOS: list[Demo] = [
    Demo("autoencoder", "app_pages/autoencoder.py", "✍️", "assets/thumbnails/autoencoder.png"),
    Demo("word_vectors", "app_pages/word_vectors.py", "🔤", "assets/thumbnails/word_vectors.png"),
    Demo("gan", "app_pages/gan.py", "🎭", "assets/thumbnails/gan.png"),
    Demo("style_transfer", "app_pages/style_transfer.py", "🎨", "assets/thumbnails/style_transfer.png"),
    Demo("adversarial_patch", "app_pages/adversarial_patch.py", "🍞",
         "assets/thumbnails/adversarial_patch.png"),
]


def navigation_pages() -> list[st.Page]:
    """The home page followed by one page per demo, titled in the visitor's language."""
    home = st.Page(HOME_PAGE, title=t("app.home"), icon="🏠", default=True)
    return [home] + [st.Page(demo.page, title=demo.title, icon=demo.icon) for demo in DEMOS]
