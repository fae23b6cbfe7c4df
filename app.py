"""Entry point of the deep-learning demo gallery: page set-up, navigation and model warm-up."""

from backend.process import tune_process

tune_process()  # before any page imports torch

import streamlit as st  # noqa: E402

from ui.gallery import navigation_pages  # noqa: E402
from ui.i18n import language_switch, t  # noqa: E402
from ui.loaders import start_warm_up  # noqa: E402

st.set_page_config(page_title=t("app.title"), page_icon="🧠", layout="wide")
language_switch()
st.navigation(navigation_pages()).run()
start_warm_up()  # after the visitor's page: load every demo's models in the background
