"""Entry point of the deep-learning demo gallery: page set-up, navigation and model warm-up."""

import streamlit as st

import backend  # noqa: F401  (first: sets torch's CPU threading policy before a page loads torch)
from ui.gallery import navigation_pages
from ui.i18n import language_switch, t
from ui.loaders import start_warm_up

st.set_page_config(page_title=t("app.title"), page_icon="🧠", layout="wide")
language_switch()
st.navigation(navigation_pages()).run()
start_warm_up()  # after the visitor's page: load every demo's models in the background
