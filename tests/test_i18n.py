"""Every UI string exists in both languages, with the same blanks to fill in.

The strings live in texts/<prefix>.toml (see ui/i18n.py); TEXTS is what the loader made of them.
"""

import re
import string
import tomllib
from pathlib import Path

import pytest

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
