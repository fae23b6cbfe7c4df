"""Plotly charts given as plain dicts, sent to the browser without plotly's object machinery."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st


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
