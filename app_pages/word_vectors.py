"""Word-vector arithmetic: type `rome - italy + china`, get the nearest GloVe words and a map."""

import streamlit as st

from backend import word_vectors as wv
from ui.classroom import presenting
from ui.loaders import shared_models
from ui.common import page_header, timed
from ui.figures import plotly_chart, word_map_figure
from ui.i18n import t

# (expression, the answer the lecture's slide or the classic example expects)
LECTURE_PRESETS = [("rome - italy + china", "beijing"), ("china - taiwan + russia", "ukraine"),
                   ("house - roof + castle", "dome"), ("knee - leg + elbow", "forearm"),
                   ("love - indifference + fear", "apathy")]
CLASSIC_PRESETS = [("king - man + woman", "queen"), ("paris - france + japan", "tokyo"),
                   ("walked - walk + swim", "swam"), ("bigger - big + small", "smaller")]
EXPECTED = dict(LECTURE_PRESETS + CLASSIC_PRESETS)
VOCAB_SIZES = [10_000, 30_000, 100_000, 400_000]  # inside wv.QuestionConfig.RESTRICT_VOCAB
TOPN = 10
MAPPED_RESULTS = 3
KEY = "word_vectors."
EXPRESSION, PRESET = KEY + "expression", KEY + "preset"
METHOD, EXCLUDE, RESTRICT, VIEW = KEY + "method", KEY + "exclude", KEY + "restrict", KEY + "view"


def count(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")  # a thin space groups digits in both languages


def restore_state_from_url() -> None:
    """Once per session: the question from the URL; junk falls back to defaults."""
    if EXPRESSION in st.session_state:
        return
    question = wv.QuestionConfig.from_query(st.query_params.to_dict())
    st.session_state[EXPRESSION] = question.expression
    st.session_state[METHOD] = question.method
    st.session_state[EXCLUDE] = question.exclude
    st.session_state[RESTRICT] = min(VOCAB_SIZES, key=lambda n: abs(n - question.restrict_vocab))
    st.session_state[VIEW] = question.view


def use_preset() -> None:
    """The example list acts as a menu of buttons: copy the choice into the box, then reset."""
    if st.session_state[PRESET]:
        st.session_state[EXPRESSION] = st.session_state[PRESET]
    st.session_state[PRESET] = None


def use_suggestion(wrong: str) -> None:
    choice = st.session_state["word_vectors.suggestion"]
    if choice:
        st.session_state[EXPRESSION] = wv.replace_word(st.session_state[EXPRESSION], wrong, choice)


def show_error(error: wv.ExpressionError) -> None:
    st.warning(t(error.key, token=error.token), icon="✏️")
    if error.suggestions:
        st.pills(t("word_vectors.did_you_mean"), error.suggestions, key="word_vectors.suggestion",
                 on_change=use_suggestion, args=(error.token,))


@st.cache_data(max_entries=1000, show_spinner=False)
def answer(terms: tuple[wv.Term, ...], method: str, vocab: int, exclude: bool, view: str,
           role_names: dict[str, str]) -> tuple[list[tuple[str, float]], dict, int | None]:
    """(top words with scores, the map as a plotly dict, the rank of the expected answer or
    None) for one question. Shared by every visitor: a hall types the same few lecture
    examples, and each costs tens of milliseconds of CPU. A bad expression raises
    ExpressionError, which is not cached."""
    kv, coords = shared_models("word_vectors")
    terms = list(terms)
    results = wv.solve(kv, terms, method, vocab, exclude, TOPN)
    shown = [word for word, _ in results[:MAPPED_RESULTS]]
    words = (wv.map_words(kv, coords, terms, shown) if view == "umap"
             else wv.pca_words(kv, terms, shown))
    frame = wv.view_frame(words, framed_results=MAPPED_RESULTS if view == "pca" else 1)
    figure = word_map_figure(words, wv.offset_arrows(terms, shown[0]), role_names, frame,
                             equal_aspect=view == "pca")
    expected = EXPECTED.get(wv.format_expression(terms))
    rank = None if expected is None else wv.rank_of(kv, terms, expected, method, vocab, exclude)
    return results, figure, rank


def show_expected_rank(terms: list[wv.Term], rank: int | None, vocab: int) -> None:
    expected = EXPECTED.get(wv.format_expression(terms))
    if expected is None:
        return
    if rank == 1:
        st.success(t("word_vectors.answer_first", word=expected), icon="🎯")
    elif rank is None:
        st.info(t("word_vectors.answer_outside", word=expected, n=count(vocab)), icon="🔎")
    else:
        st.info(t("word_vectors.answer_rank", word=expected, rank=count(rank)), icon="🔎")


page_header("word_vectors")
restore_state_from_url()
if presenting():  # a projector is wide and short: the results get a column of their own
    controls_column, results_column, map_column = st.columns([2, 2, 4], gap="large")
else:
    controls_column, map_column = st.columns([2, 3], gap="large")
    results_column = controls_column

with controls_column:
    st.text_input(t("word_vectors.expression"), key=EXPRESSION, max_chars=wv.MAX_CHARS,
                  help=t("word_vectors.expression_help"))
    # Labels are looked up now, not inside format_func: AppTest calls format_func later,
    # outside the script run, where the visitor's language is unknown.
    labels = {e: t("word_vectors.from_lecture", expression=e) for e, _ in LECTURE_PRESETS}
    labels |= {e: e for e, _ in CLASSIC_PRESETS}
    st.selectbox(t("word_vectors.presets"), list(labels), index=None, key=PRESET,
                 format_func=labels.__getitem__, on_change=use_preset,
                 placeholder=t("word_vectors.presets_placeholder"))
    method_column, exclude_column = st.columns(2)
    method = method_column.radio(t("word_vectors.method"), wv.METHODS, horizontal=True,
                                 key=METHOD, help=t("word_vectors.method_help"))
    exclude = exclude_column.toggle(t("word_vectors.exclude"), key=EXCLUDE,
                                    help=t("word_vectors.exclude_help"))
    vocab = st.select_slider(t("word_vectors.restrict"), VOCAB_SIZES, format_func=count,
                             key=RESTRICT, help=t("word_vectors.restrict_help"))
    st.caption(t("word_vectors.honest_note"))

with map_column:
    view_names = {name: t(f"word_vectors.view.{name}") for name in wv.VIEWS}
    view = st.radio(t("word_vectors.view"), wv.VIEWS, horizontal=True, key=VIEW,
                    format_func=view_names.__getitem__)
# In the URL before the question is solved: a link keeps a mistyped expression too.
st.query_params.update(wv.QuestionConfig.validated(
    expression=st.session_state[EXPRESSION], method=method, exclude=exclude,
    restrict_vocab=vocab, view=view).to_query())

coords_count = len(shared_models("word_vectors")[1])
try:
    terms = wv.parse_expression(st.session_state[EXPRESSION])
    with controls_column, timed(device="cpu (numpy)"):  # gensim is numpy: no torch device
        results, figure, rank = answer(tuple(terms), method, vocab, exclude, view,
                                       {role: t(f"word_vectors.role.{role}") for role in wv.ROLES})
except wv.ExpressionError as error:
    with controls_column:
        show_error(error)
    st.stop()

with results_column:
    st.subheader(t("word_vectors.results", expression=wv.format_expression(terms)))
    score = t("word_vectors.cosine") if method == "3CosAdd" else t("word_vectors.cosmul_score")
    st.dataframe({"#": list(range(1, len(results) + 1)), t("word_vectors.word"):
                  [word for word, _ in results], score: [round(s, 3) for _, s in results]},
                 hide_index=True, width="stretch")
    show_expected_rank(terms, rank, vocab)
    if not exclude:
        st.caption(t("word_vectors.inputs_included"))
with map_column:
    plotly_chart(figure, config={"displayModeBar": False}, width="stretch",
                    key="word_vectors.map")
    st.caption(t(f"word_vectors.{view}_hint", n=count(coords_count)))
