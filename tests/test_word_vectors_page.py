"""The word-vector page driven through its widgets with AppTest, on the real GloVe vectors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from sklearn.decomposition import PCA

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


DEFAULT_QUERY = wv.QuestionConfig().to_query()


def settings(app) -> dict:
    """What the page's widgets show."""
    return {"expression": app.text_input(key=EXPRESSION).value,
            "method": app.radio(key="word_vectors.method").value,
            "exclude": app.toggle(key="word_vectors.exclude").value,
            "restrict": app.select_slider(key="word_vectors.restrict").value,
            "view": app.radio(key="word_vectors.view").value}


def test_the_question_is_in_the_url_from_the_start():
    app = run_page(PAGE)
    assert not app.exception and not app.warning
    assert dict(app.query_params) == DEFAULT_QUERY
    assert set(DEFAULT_QUERY) == {"q", "m", "ex", "v", "view"}


def test_a_shared_url_opens_the_same_question():
    app = run_page(PAGE, query={"q": "king - man + woman"})
    assert not app.exception
    assert app.text_input(key=EXPRESSION).value == "king - man + woman"
    assert ranked_words(app)[0] == "queen"
    assert dict(app.query_params) == {**DEFAULT_QUERY, "q": "king - man + woman"}


def test_widgets_go_to_the_url_and_a_new_session_opens_them_again():
    app = run_page(PAGE)
    app.text_input(key=EXPRESSION).input("paris - france + japan").run()
    app.radio(key="word_vectors.method").set_value("3CosMul").run()
    app.toggle(key="word_vectors.exclude").set_value(False).run()
    app.select_slider(key="word_vectors.restrict").set_value(100_000).run()
    app.radio(key="word_vectors.view").set_value("pca").run()
    assert dict(app.query_params) == {"q": "paris - france + japan", "m": "3CosMul",
                                      "ex": "False", "v": "100000", "view": "pca"}
    shared = run_page(PAGE, query=dict(app.query_params))
    assert not shared.exception
    assert settings(shared) == settings(app) == {
        "expression": "paris - france + japan", "method": "3CosMul", "exclude": False,
        "restrict": 100_000, "view": "pca"}
    assert ranked_words(shared) == ranked_words(app)
    assert "PCA" in captions(shared)


def test_a_mistyped_expression_stays_in_the_url():
    app = run_page(PAGE, query={"q": "biejing - china + japan"})
    assert not app.exception and app.warning and not app.dataframe
    assert app.query_params["q"] == "biejing - china + japan"


def test_junk_in_the_url_falls_back_to_defaults_or_clamped_values():
    app = run_page(PAGE, query={"m": "junk", "v": "-5", "ex": "perhaps", "view": "3d",
                                "q": "king - man + woman " * 50})
    assert not app.exception
    assert settings(app) == {"expression": ("king - man + woman " * 50)[:wv.MAX_CHARS],
                             "method": "3CosAdd", "exclude": True, "restrict": 10_000,
                             "view": "umap"}
    assert app.warning  # too many terms: a hint, not a traceback
    assert dict(app.query_params) == {**DEFAULT_QUERY, "v": "10000",
                                      "q": ("king - man + woman " * 50)[:wv.MAX_CHARS]}


def test_a_vocabulary_between_the_slider_s_stops_takes_the_nearest():
    app = run_page(PAGE, query={"v": "90000", "m": "3cosmul"})
    assert app.select_slider(key="word_vectors.restrict").value == 100_000
    assert app.radio(key="word_vectors.method").value == "3CosMul"
    assert app.query_params["v"] == "100000"


# --- the map: where each word is drawn ---------------------------------------------------------

@pytest.fixture(scope="module")
def glove():
    return wv.load_glove()


def drawn_words(app, role: str | None = None) -> dict[str, tuple[float, float]]:
    """{word: (x, y)} of the words plotted on the page's map (all, or one role's trace, found
    by its English legend name). A word's name is its hover text: text labels are off for
    some roles."""
    spec = json.loads(app.get("plotly_chart")[0].proto.spec)
    traces = [trace for trace in spec["data"]
              if role is None or trace["name"] == TEXTS[f"word_vectors.role.{role}"]["en"]]
    return {word: (x, y) for trace in traces
            for word, x, y in zip(trace["hovertext"], trace["x"], trace["y"])}


def test_the_pca_view_draws_the_words_on_their_first_two_principal_axes(glove):
    app = run_page(PAGE, query={"view": "pca"})  # rome - italy + china, the default question
    assert not app.exception
    words = ["rome", "italy", "china"] + ranked_words(app)[:3]  # the inputs and 3 results
    units = np.stack([glove.get_vector(word, norm=True) for word in words])
    computed = units[0] - units[1] + units[2]  # the point the expression names, drawn too
    expected = PCA(n_components=2).fit_transform(np.vstack([units, computed]).astype(float))
    shown = drawn_words(app)
    assert set(shown) == {*words, "rome - italy + china"}, "only these words are drawn"
    drawn = np.array([shown[word] for word in [*words, "rome - italy + china"]])
    for axis in range(2):  # a principal axis has no sign of its own
        sign = np.sign(drawn[:, axis] @ expected[:, axis])
        np.testing.assert_allclose(drawn[:, axis], sign * expected[:, axis], atol=1e-6)


def test_the_umap_view_draws_the_words_where_the_shipped_map_has_them(glove):
    app = run_page(PAGE)  # the map view is the default
    assert not app.exception and app.radio(key="word_vectors.view").value == "umap"
    coords = wv.load_word_map()

    def shipped(words):
        return np.array([coords[glove.key_to_index[word]] for word in words], dtype=float)

    context = drawn_words(app, "context")
    # Measured: 150 grey context words (the most the page draws) around rome - italy + china.
    assert len(context) >= 50, "the neighbourhood around the question is filled in"
    assert all(glove.key_to_index[word] < len(coords) for word in context)
    np.testing.assert_allclose(list(context.values()), shipped(context), atol=1e-6)
    # The question's own words and results are frequent: they sit at their own map points.
    named = {word: xy for word, xy in drawn_words(app).items() if word not in context}
    assert {"rome", "italy", "china", "beijing"} <= set(named)
    mapped = [word for word in named if glove.key_to_index[word] < len(coords)]
    np.testing.assert_allclose([named[word] for word in mapped], shipped(mapped), atol=1e-6)
    # Context words are the ones inside the view (see wv.map_words).
    layout = json.loads(app.get("plotly_chart")[0].proto.spec)["layout"]
    (x0, x1), (y0, y1) = layout["xaxis"]["range"], layout["yaxis"]["range"]
    assert all(x0 <= x <= x1 and y0 <= y <= y1 for x, y in context.values())
