"""The static twins as one gallery, for bench/ui_latency.py: the real app's page set-up and
navigation, with each demo page replaced by its twin (bench/twins/<demo>.py), at the same URL.

A twin renders the same elements as its demo page after the benchmark's interaction (the
same widgets with the same keys and labels, pictures of the same sizes and kinds, charts of
as many points), from fixed content made once: no model and no computation. So "demo page
time / twin time" is the demo's own work, over what the browser and Streamlit spend anyway
on drawing those elements. Every interaction still changes what the twin shows, so that the
browser redraws like on the real page.

    .venv/bin/python -m streamlit run bench/twins/app.py
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # for `ui` and `bench.twins`

import streamlit as st  # noqa: E402

from ui.gallery import DEMOS  # noqa: E402
from ui.i18n import language_switch, t  # noqa: E402


def home() -> None:
    st.title(t("app.title"))


st.set_page_config(page_title=t("app.title"), page_icon="🧠", layout="wide")
language_switch()
st.navigation([st.Page(home, title=t("app.home"), icon="🏠", default=True)] + [
    st.Page(Path(demo.page).name, title=demo.title, icon=demo.icon) for demo in DEMOS]).run()
