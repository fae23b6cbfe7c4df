"""Static twin of app_pages/word_vectors.py (see bench/twins/app.py): the same controls, a
ten-word table and a word map of as many points; each expression shuffles them."""

import zlib

import numpy as np
import streamlit as st

from bench.twins.common import page_header, timing_line
from ui.figures import plotly_chart
from ui.i18n import t

LECTURE_PRESETS = ["rome - italy + china", "china - taiwan + russia", "house - roof + castle",
                   "knee - leg + elbow", "love - indifference + fear"]
CLASSIC_PRESETS = ["king - man + woman", "paris - france + japan", "walked - walk + swim",
                   "bigger - big + small"]
WORDS = ["beijing", "shanghai", "moscow", "tokyo", "capital", "city", "province", "chinese",
         "empire", "dynasty", "seoul", "taipei", "hong", "kong", "mainland", "nanjing"]
VOCAB_SIZES = [10_000, 30_000, 100_000, 400_000]
EXPRESSION = "word_vectors.expression"
VIEWS = ("umap", "pca")
# role -> (points, colour, marker size, labelled) as on the real UMAP map of an analogy
ROLES = {"context": (150, "rgba(150,150,150,0.35)", 5, False), "neighbour": (9, "#8c8c8c", 8, True),
         "positive": (2, "#1f77b4", 14, True), "negative": (1, "#d62728", 14, True),
         "result": (3, "#2ca02c", 14, True)}


def count(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")


def word_map(rng: np.random.Generator) -> dict:
    """The real map's traces (one per role, words as text and hover) and layout, at random
    places in the unit square, with the two offset arrows of the analogy."""
    traces = []
    for role, (points, colour, size, labelled) in ROLES.items():
        words = rng.choice(WORDS, points).tolist()
        traces.append({
            "type": "scatter", "name": t(f"word_vectors.role.{role}"),
            "x": rng.random(points).tolist(), "y": rng.random(points).tolist(),
            "mode": "markers+text" if labelled else "markers",
            "text": words if labelled else None, "textposition": "top center",
            "textfont": {"size": 16 if role != "neighbour" else 12, "color": colour},
            "hovertext": words, "hoverinfo": "text", "marker": {"color": colour, "size": size}})
    positive, negative, result = (traces[index] for index in (2, 3, 4))
    arrows = [(negative, 0, positive, 0), (positive, 1, result, 0)]
    annotations = [{"x": end["x"][j], "y": end["y"][j], "ax": start["x"][i], "ay": start["y"][i],
                    "xref": "x", "yref": "y", "axref": "x", "ayref": "y", "showarrow": True,
                    "arrowhead": 3, "arrowsize": 1.4, "arrowwidth": 2.5, "arrowcolor": "#ff7f0e",
                    "text": "", "standoff": 8, "startstandoff": 8}
                   for start, i, end, j in arrows]
    return {"data": traces, "layout": {
        "xaxis": {"visible": False, "range": [-0.1, 1.1]},
        "yaxis": {"visible": False, "range": [-0.1, 1.2]},
        "annotations": annotations, "margin": {"l": 0, "r": 0, "t": 30, "b": 0}, "height": 560,
        "dragmode": False, "legend": {"orientation": "h", "y": 1.06, "x": 0},
        "hovermode": "closest"}}


page_header("word_vectors")
st.session_state.setdefault(EXPRESSION, LECTURE_PRESETS[0])
controls_column, map_column = st.columns([2, 3], gap="large")

with controls_column:
    st.text_input(t("word_vectors.expression"), key=EXPRESSION, max_chars=300,
                  help=t("word_vectors.expression_help"))
    labels = {e: t("word_vectors.from_lecture", expression=e) for e in LECTURE_PRESETS}
    labels |= {e: e for e in CLASSIC_PRESETS}
    st.selectbox(t("word_vectors.presets"), list(labels), index=None, key="word_vectors.preset",
                 format_func=labels.__getitem__,
                 placeholder=t("word_vectors.presets_placeholder"))
    method_column, exclude_column = st.columns(2)
    method = method_column.radio(t("word_vectors.method"), ("3CosAdd", "3CosMul"),
                                 horizontal=True, key="word_vectors.method",
                                 help=t("word_vectors.method_help"))
    exclude_column.toggle(t("word_vectors.exclude"), value=True, key="word_vectors.exclude",
                          help=t("word_vectors.exclude_help"))
    st.select_slider(t("word_vectors.restrict"), VOCAB_SIZES, value=30_000, format_func=count,
                     key="word_vectors.restrict", help=t("word_vectors.restrict_help"))
    st.caption(t("word_vectors.honest_note"))

with map_column:
    view_names = {name: t(f"word_vectors.view.{name}") for name in VIEWS}
    st.radio(t("word_vectors.view"), VIEWS, horizontal=True, key="word_vectors.view",
             format_func=view_names.__getitem__)

# The expression seeds what is shown, so that every new expression changes the page.
expression = st.session_state[EXPRESSION]
rng = np.random.default_rng(zlib.crc32(expression.encode()))
results = rng.permutation(WORDS)[:10].tolist()
with controls_column:
    timing_line("cpu (numpy)")
    st.subheader(t("word_vectors.results", expression=expression))
    score = t("word_vectors.cosine") if method == "3CosAdd" else t("word_vectors.cosmul_score")
    st.dataframe({"#": list(range(1, 11)), t("word_vectors.word"): results,
                  score: np.sort(rng.random(10)).round(3)[::-1].tolist()},
                 hide_index=True, width="stretch")
    st.success(t("word_vectors.answer_first", word=results[0]), icon="🎯")
with map_column:
    plotly_chart(word_map(rng), config={"displayModeBar": False}, width="stretch",
                 key="word_vectors.map")
    st.caption(t("word_vectors.umap_hint", n=count(30_000)))
