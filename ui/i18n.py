"""The language switch and `t()`, which looks up every visible UI string in both languages.

The texts live in texts/<prefix>.toml, one file per demo and per shared area: `t("gan.title")`
reads [title] of texts/gan.toml, `t("word_vectors.error.empty")` reads [error.empty] of
texts/word_vectors.toml. Each such table holds one string per language (hu, en); its sub-tables
are further keys. tests/test_i18n.py checks that every key has both languages with the same
placeholders, so a missing translation is caught there instead of by an audience. Words that
are data (the word-vector page's English vocabulary, ImageNet class names) stay in the code.
The files are read once, at import: restart the server after editing them.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import streamlit as st

LANGUAGES = {"hu": "Magyar", "en": "English"}
DEFAULT_LANGUAGE = "hu"  # the lecture is given in Hungarian
STATE_KEY = "lang"
SHOWN_KEY = "lang_shown"  # the language of the last run, for a click that unselects the switch
TEXTS_DIR = Path(__file__).resolve().parents[1] / "texts"


def load_texts(directory: Path = TEXTS_DIR) -> dict[str, dict[str, str]]:
    """{"<file stem>.<toml key path>": {"hu": ..., "en": ...}} from every texts/*.toml."""
    texts: dict[str, dict[str, str]] = {}
    for path in sorted(directory.glob("*.toml")):
        with path.open("rb") as file:
            _collect(path.stem, tomllib.load(file), texts)
    return texts


def _collect(key: str, table: dict[str, Any], texts: dict[str, dict[str, str]]) -> None:
    """A table's strings are the languages of `key`; its sub-tables are keys below it."""
    languages = {name: value for name, value in table.items() if isinstance(value, str)}
    if languages:
        texts[key] = languages
    for name, value in table.items():
        if isinstance(value, dict):
            _collect(f"{key}.{name}", value, texts)
        elif not isinstance(value, str):
            raise TypeError(f"texts: {key}.{name} is neither a string nor a table")


TEXTS = load_texts()


def current_language() -> str:
    """The visitor's language: the sidebar switch, else ?lang= in the URL, else Hungarian."""
    if STATE_KEY not in st.session_state:
        requested = st.query_params.get("lang", DEFAULT_LANGUAGE)
        st.session_state[STATE_KEY] = requested if requested in LANGUAGES else DEFAULT_LANGUAGE
    return st.session_state[STATE_KEY]


def t(key: str, **params: object) -> str:
    """The text for `key` in the visitor's language, with str.format params filled in."""
    text = TEXTS[key][current_language()]
    return text.format(**params) if params else text


def language_switch() -> None:
    """The sidebar control that picks the language (kept in the URL for bookmarks)."""
    st.session_state[SHOWN_KEY] = current_language()
    st.sidebar.segmented_control(
        t("app.language"), options=list(LANGUAGES), format_func=LANGUAGES.__getitem__,
        key=STATE_KEY, on_change=_remember_language_in_url)


def _remember_language_in_url() -> None:
    if st.session_state.get(STATE_KEY) is None:  # clicking the selected option unselects it:
        st.session_state[STATE_KEY] = st.session_state.get(SHOWN_KEY, DEFAULT_LANGUAGE)  # keep it
    st.query_params["lang"] = st.session_state[STATE_KEY]
