"""Plotly charts given as plain dicts, sent to the browser without plotly's object machinery."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from ui.i18n import t

if TYPE_CHECKING:  # the figure only reads MapWord's fields; no gensim import for other pages
    from backend.word_vectors import MapWord


class PlainFigure(go.Figure):
    """A figure that is only its JSON-ready dict.

    st.plotly_chart rebuilds a dict into a validated go.Figure, and copies a go.Figure with
    `to_dict()`; either costs tens of milliseconds of server CPU for every chart of every
    run, for every visitor. Streamlit only needs the dict, so this figure skips plotly's
    constructor and hands its dict over as it is.
    """

    def __init__(self, spec: dict):  # noqa: D107 (plotly's __init__ is skipped on purpose)
        self._spec = spec

    def to_dict(self) -> dict:
        return self._spec


def plotly_chart(spec: dict, **options) -> object:
    """st.plotly_chart of a plotly figure written as a dict {"data": [...], "layout": {...}}."""
    return st.plotly_chart(PlainFigure(spec), **options)


_WORD_STYLE = {  # role (in backend.word_vectors.ROLES order): (colour, marker size, label shown)
    "context": ("rgba(150,150,150,0.35)", 5, False),
    "neighbour": ("#8c8c8c", 8, True),
    "positive": ("#1f77b4", 14, True),
    "negative": ("#d62728", 14, True),
    "result": ("#2ca02c", 14, True),
    "target": ("#9467bd", 18, False),  # the legend names it; a long expression would clip
}


def word_map_figure(words: list[MapWord], arrows: list[tuple[str, str]],
                    role_names: dict[str, str], frame: tuple[list[float], list[float]],
                    equal_aspect: bool = False) -> dict:
    """The word map as a plain plotly dict: `words` (one trace per role, named by
    `role_names`, hover = word) with `arrows` (from_word, to_word) drawn as annotations,
    inside `frame` (x and y ranges: backend.word_vectors.view_frame).

    Axes are hidden: their units mean nothing.
    `equal_aspect` keeps lengths and angles (for PCA); UMAP's distances carry no meaning, so
    its map fills the frame.
    """
    traces = []
    for role, (colour, size, labelled) in _WORD_STYLE.items():
        group = [w for w in words if w.role == role]
        if not group:
            continue
        traces.append({
            "type": "scatter", "name": role_names.get(role, role),
            "x": [w.x for w in group], "y": [w.y for w in group],
            "mode": "markers+text" if labelled else "markers",
            "text": [w.word for w in group] if labelled else None,
            "textposition": "top center",
            "textfont": {"size": 16 if role != "neighbour" else 12, "color": colour},
            "hovertext": [w.word for w in group], "hoverinfo": "text",
            "marker": {"color": colour, "size": size,
                       "symbol": "star" if role == "target" else "circle"},
        })
    position = {w.word: (w.x, w.y) for w in words if w.role != "context"}
    arrow_style = {"xref": "x", "yref": "y", "axref": "x", "ayref": "y", "showarrow": True,
                   "arrowhead": 3, "arrowsize": 1.4, "arrowwidth": 2.5, "arrowcolor": "#ff7f0e",
                   "text": "", "standoff": 8, "startstandoff": 8}
    annotations = [{"x": position[end][0], "y": position[end][1], "ax": position[start][0],
                    "ay": position[start][1], **arrow_style} for start, end in arrows]
    x_range, y_range = frame
    layout = {
        "xaxis": {"visible": False, "range": x_range},
        "yaxis": {"visible": False, "range": y_range,
                  **({"scaleanchor": "x", "scaleratio": 1} if equal_aspect else {})},
        "annotations": annotations, "margin": {"l": 0, "r": 0, "t": 30, "b": 0}, "height": 560,
        "dragmode": False, "legend": {"orientation": "h", "y": 1.06, "x": 0},
        "hovermode": "closest",
    }
    return {"data": traces, "layout": layout}


INTERPOLATION_COLOURS = {"lerp": "#d62728", "slerp": "#1f77b4"}


def interpolation_lines(x: np.ndarray, series: dict[str, np.ndarray], layout: dict) -> dict:
    """The GAN page's charts along a latent path: one coloured line per interpolation method
    (lerp, slerp), named in the visitor's language, legend below for phones."""
    return {"data": [{"type": "scatter", "mode": "lines+markers", "x": x.tolist(),
                      "y": values.tolist(), "name": t(f"gan.{method}"),
                      "line": {"color": INTERPOLATION_COLOURS[method]}}
                     for method, values in series.items()],
            "layout": {"height": 280, "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
                       "legend": {"orientation": "h", "y": -0.3}} | layout}


def training_curves(series: dict[str, tuple[list[float], list[float]]], title: str,
                    level: float | None = None, level_name: str = "") -> dict:
    """Lines of a live training (name -> (steps, values)), and optionally a dashed level
    they should reach, e.g. the exact distance a critic's estimate approaches."""
    data = [{"type": "scatter", "mode": "lines+markers" if len(x) < 20 else "lines",
             "x": x, "y": y, "name": name, "marker": {"size": 5}}
            for name, (x, y) in series.items()]  # markers while a lone point would not show
    if level is not None and series:
        xs = next(iter(series.values()))[0] or [0]
        data.append({"type": "scatter", "mode": "lines", "x": [xs[0], xs[-1]],
                     "y": [level, level], "name": level_name,
                     "line": {"dash": "dash", "color": "#333333"}})
    return {"data": data, "layout": {
        "height": 250, "margin": {"l": 10, "r": 10, "t": 30, "b": 10},
        "title": {"text": title, "font": {"size": 15}},
        "legend": {"orientation": "h", "y": -0.25}}}
