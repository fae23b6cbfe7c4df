"""The word-vector page driven through its widgets with AppTest, on the real GloVe vectors."""

from __future__ import annotations

import re
from pathlib import Path

from backend import word_vectors as wv
from tests.apptest import run_page
from ui.i18n import TEXTS

PAGE = "app_pages/word_vectors.py"
EXPRESSION = "word_vectors.expression"


def ranked_words(app) -> list[str]:
    table = app.dataframe[0].value
    return list(table.iloc[:, 1])


def captions(app) -> str:
    return " ".join(caption.value for caption in app.caption)


def test_typing_an_expression_shows_the_ten_nearest_words_and_the_time():
    app = run_page(PAGE)
    assert not app.exception
    assert ranked_words(app)[0] == "beijing"  # the first lecture preset is there on arrival
    app.text_input(key=EXPRESSION).input("King-Man+Woman").run()
    assert not app.exception
    words = ranked_words(app)
    assert words[0] == "queen" and len(words) == 10
    assert {"king", "man", "woman"}.isdisjoint(words)
    assert "⏱" in captions(app)
    assert "The expected answer, **queen**, comes first." in [s.value for s in app.success]


def test_without_exclusion_an_input_word_wins():
    app = run_page(PAGE)
    app.text_input(key=EXPRESSION).input("king - man + woman").run()
    app.toggle(key="word_vectors.exclude").set_value(False).run()
    assert ranked_words(app)[0] == "king"


def test_a_lecture_preset_reports_the_rank_of_the_lecture_answer():
    app = run_page(PAGE)
    app.selectbox(key="word_vectors.preset").select("knee - leg + elbow").run()
    assert app.text_input(key=EXPRESSION).value == "knee - leg + elbow"
    assert app.selectbox(key="word_vectors.preset").value is None  # acts as a menu of buttons
    assert any("**forearm**" in info.value and "19" in info.value for info in app.info)


def test_3cosmul_and_a_smaller_vocabulary():
    app = run_page(PAGE)
    app.radio(key="word_vectors.method").set_value("3CosMul").run()
    app.select_slider(key="word_vectors.restrict").set_value(10_000).run()
    assert not app.exception
    assert ranked_words(app)[0] == "beijing"
    assert "3CosMul" in app.dataframe[0].value.columns[2]


def test_a_typo_gets_suggestions_and_one_click_fixes_it():
    app = run_page(PAGE)
    app.text_input(key=EXPRESSION).input("biejing - china + japan").run()
    assert not app.exception and not app.dataframe
    assert "biejing" in app.warning[0].value
    suggestions = app.pills(key="word_vectors.suggestion")
    assert suggestions.options[0] == "beijing"
    suggestions.select("beijing").run()
    assert app.text_input(key=EXPRESSION).value == "beijing - china + japan"
    assert ranked_words(app)[0] == "tokyo"


def test_malformed_input_gets_a_hint_not_a_traceback():
    app = run_page(PAGE)
    for text in ["rome + - italy", "", "rome italy", "big*city"]:
        app.text_input(key=EXPRESSION).input(text).run()
        assert not app.exception, text
        assert app.warning, text


def test_the_pca_view_shows_the_computed_point():
    app = run_page(PAGE)
    app.radio(key="word_vectors.view").set_value("pca").run()
    assert not app.exception
    assert "PCA" in captions(app)


def test_hungarian_page_keeps_the_words_english():
    app = run_page(PAGE, lang="hu")
    assert app.title[0].value == "Szóvektor-aritmetika"
    assert ranked_words(app)[0] == "beijing"
    assert app.dataframe[0].value.columns[1] == "szó"


def test_every_message_the_backend_can_raise_and_every_map_label_is_translated():
    source = (Path(__file__).resolve().parents[1] / "backend" / "word_vectors.py").read_text()
    keys = set(re.findall(r'ExpressionError\(\s*"([\w.]+)"', source))
    keys |= {f"word_vectors.role.{role}" for role in wv.ROLES}
    keys |= {f"word_vectors.{view}_hint" for view in ("umap", "pca")}
    assert len(keys) > 15 and sorted(keys - set(TEXTS)) == []
