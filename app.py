"""Entry point of the deep-learning demo gallery: page set-up, navigation and model warm-up."""

from backend.process import tune_process

tune_process()  # before any page imports torch

import streamlit as st  # noqa: E402

from ui.classroom import follow_switch, presenter_bar, presenter_switch  # noqa: E402
from ui.gallery import navigation_pages  # noqa: E402
from ui.i18n import language_switch, t  # noqa: E402
from ui.loaders import start_warm_up  # noqa: E402

st.set_page_config(page_title=t("app.title"), page_icon="🧠", layout="wide")
language_switch()
presenter_switch()
top_bar = st.container()
page = st.navigation(navigation_pages())
follow_switch(page.url_path)
page.run()
with top_bar:  # filled after the page: its join code holds the state the page left in the URL
    presenter_bar(page.url_path)
start_warm_up()  # after the visitor's page: load every demo's models in the background
