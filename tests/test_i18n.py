"""Every UI string exists in both languages, with the same blanks to fill in.

The strings live in texts/<prefix>.toml (see ui/i18n.py); TEXTS is what the loader made of them.
"""

import re
import string
import tomllib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ui import loaders
from ui.gallery import DEMOS
from ui.i18n import LANGUAGES, TEXTS, TEXTS_DIR, load_texts

REPO_ROOT = Path(__file__).resolve().parents[1]
SOURCES = [*REPO_ROOT.glob("app.py"), *REPO_ROOT.glob("app_pages/*.py"), *REPO_ROOT.glob("ui/*.py")]
TEXT_FILES = sorted(TEXTS_DIR.glob("*.toml"))


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_every_key_has_every_language(key):
    entry = TEXTS[key]
    assert set(entry) == set(LANGUAGES), f"{key} has {sorted(entry)}"
    assert all(entry[lang].strip() for lang in LANGUAGES), f"{key} has an empty text"
    assert placeholders(entry["en"]) == placeholders(entry["hu"]), key


@pytest.mark.parametrize("path", TEXT_FILES, ids=lambda path: path.name)
def test_every_texts_file_parses_and_holds_texts(path):
    with path.open("rb") as file:
        assert tomllib.load(file), f"{path.name} is empty"
    assert any(key.startswith(f"{path.stem}.") for key in TEXTS), path.name


def test_every_key_used_in_the_code_exists():
    used = set()
    for source in SOURCES:
        used |= set(re.findall(r"""\bt\(\s*["']([\w.]+)["']""", source.read_text()))
    assert used, "no t(...) calls found: the scan itself is broken"
    assert sorted(used - set(TEXTS)) == []


@pytest.mark.parametrize("demo", DEMOS, ids=lambda demo: demo.key)
def test_every_demo_has_its_title_teaser_and_explanation(demo):
    path = TEXTS_DIR / f"{demo.key}.toml"
    assert path.is_file(), f"{demo.key} has no texts/{demo.key}.toml"
    with path.open("rb") as file:
        texts = tomllib.load(file)
    for name in ("title", "teaser", "explanation"):
        assert name in texts, f"texts/{demo.key}.toml has no [{name}]"
        for lang in LANGUAGES:
            assert isinstance(texts[name].get(lang), str) and texts[name][lang].strip(), \
                f"texts/{demo.key}.toml [{name}] has no {lang}"
            assert TEXTS[f"{demo.key}.{name}"][lang] == texts[name][lang]
    assert (REPO_ROOT / demo.thumbnail).is_file()
    assert (REPO_ROOT / demo.page).is_file()


def test_backend_image_errors_are_all_translated():
    source = (REPO_ROOT / "backend" / "images.py").read_text()
    keys = set(re.findall(r'ImageError\(\s*"([\w.]+)"', source))
    assert keys and keys <= set(TEXTS)


def test_loader_keys_are_file_stem_and_table_path(tmp_path):
    (tmp_path / "demo.toml").write_text(
        '[title]\nhu = "Cím"\nen = "Title"\n\n'
        '[view]\nhu = "Nézet"\nen = "View"\n\n'
        '[view.map]\nhu = "Térkép {n}"\nen = "Map {n}"\n\n'
        '[error.empty]\nhu = """\nÜres.\n\nTényleg."""\nen = "Empty."\n')
    assert load_texts(tmp_path) == {
        "demo.title": {"hu": "Cím", "en": "Title"},
        "demo.view": {"hu": "Nézet", "en": "View"},
        "demo.view.map": {"hu": "Térkép {n}", "en": "Map {n}"},
        "demo.error.empty": {"hu": "Üres.\n\nTényleg.", "en": "Empty."},
    }


def test_loader_rejects_values_that_are_not_texts(tmp_path):
    (tmp_path / "demo.toml").write_text('[title]\nhu = "Cím"\nen = 3\n')
    with pytest.raises(TypeError, match="demo.title.en"):
        load_texts(tmp_path)


# --- the language a visitor gets: the sidebar switch, else ?lang= in the URL, else Hungarian ---

TITLE = {lang: TEXTS["app.title"][lang] for lang in LANGUAGES}  # the home page's title


def open_home(monkeypatch, query: dict | None = None) -> AppTest:
    """A fresh session's first run of the gallery (the home page), opened from a URL with
    `query`. Not tests.apptest.run_page: that picks the language, which is what is tested."""
    # The home page needs no model: skip the background loading of every demo's models,
    # which app.py would otherwise start (monkeypatch, not DEMO_WARM_UP=0, whose None
    # start_warm_up would cache for the rest of the process).
    monkeypatch.setattr(loaders, "start_warm_up", lambda: None)
    app = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=60)
    app.query_params.update(query or {})
    return app.run()


def shown_language(app: AppTest) -> str:
    """The language of the page's title, checked against the sidebar switch's choice."""
    assert not app.exception, app.exception
    [language] = [lang for lang, title in TITLE.items() if app.title[0].value == title]
    assert app.segmented_control(key="lang").value == language
    return language


@pytest.mark.parametrize("query, language", [
    (None, "hu"),                     # no lang: the lecture's language
    ({"lang": "en"}, "en"),
    ({"lang": "hu"}, "hu"),
    ({"lang": "xx"}, "hu"),           # junk or empty: the default
    ({"lang": ""}, "hu"),
    ({"lang": ["hu", "en"]}, "en"),   # ?lang=hu&lang=en: Streamlit reads the last value
    ({"lang": ["en", "xx"]}, "hu"),   # ... and a junk last value falls back
], ids=["none", "en", "hu", "junk", "empty", "two", "two-junk-last"])
def test_a_new_visitor_gets_the_url_s_language_else_hungarian(monkeypatch, query, language):
    assert shown_language(open_home(monkeypatch, query)) == language


def test_the_sidebar_switch_changes_the_language_and_keeps_it_in_the_url(monkeypatch):
    app = open_home(monkeypatch)
    app.segmented_control(key="lang").set_value("en").run()
    assert shown_language(app) == "en" and app.query_params["lang"] == "en"
    app.segmented_control(key="lang").set_value("hu").run()
    assert shown_language(app) == "hu" and app.query_params["lang"] == "hu"


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_clicking_the_chosen_language_again_keeps_it(monkeypatch, language):
    """A segmented control unselects its choice when it is clicked again (value None): the
    visitor keeps the language they had, not the default."""
    app = open_home(monkeypatch, {"lang": language})
    app.segmented_control(key="lang").set_value(None).run()
    assert shown_language(app) == language and app.query_params["lang"] == language
