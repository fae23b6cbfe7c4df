"""Every UI string exists in both languages, with the same blanks to fill in."""

import re
import string
from pathlib import Path

import pytest

from ui.gallery import DEMOS
from ui.i18n import LANGUAGES, TEXTS

REPO_ROOT = Path(__file__).resolve().parents[1]
SOURCES = [*REPO_ROOT.glob("app.py"), *REPO_ROOT.glob("app_pages/*.py"), *REPO_ROOT.glob("ui/*.py")]


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_every_key_has_every_language(key):
    entry = TEXTS[key]
    assert set(entry) == set(LANGUAGES), f"{key} has {sorted(entry)}"
    assert all(entry[lang].strip() for lang in LANGUAGES), f"{key} has an empty text"
    assert placeholders(entry["en"]) == placeholders(entry["hu"]), key


def test_every_key_used_in_the_code_exists():
    used = set()
    for source in SOURCES:
        used |= set(re.findall(r"""\bt\(\s*["']([\w.]+)["']""", source.read_text()))
    assert used, "no t(...) calls found: the scan itself is broken"
    assert sorted(used - set(TEXTS)) == []


@pytest.mark.parametrize("demo", DEMOS, ids=lambda demo: demo.key)
def test_every_demo_has_its_title_teaser_and_explanation(demo):
    for name in ("title", "teaser", "explanation"):
        assert f"{demo.key}.{name}" in TEXTS
    assert (REPO_ROOT / demo.thumbnail).is_file()
    assert (REPO_ROOT / demo.page).is_file()


def test_backend_image_errors_are_all_translated():
    source = (REPO_ROOT / "backend" / "images.py").read_text()
    keys = set(re.findall(r'ImageError\(\s*"([\w.]+)"', source))
    assert keys and keys <= set(TEXTS)
