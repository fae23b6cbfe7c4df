"""The gallery's front page: one card per working demo."""

import streamlit as st

from ui.classroom import join_code, lecturer_offer, presenting
from ui.gallery import DEMOS
from ui.i18n import t

CARDS_PER_ROW = 3

st.title(t("app.title"))
if presenting():  # the lecture starts here: the room joins by scanning, the lecturer picks
    code_column, demos_column = st.columns([3, 1], gap="large")
    with code_column:
        join_code("", size=560)
    for demo in DEMOS:
        demos_column.page_link(demo.page, label=demo.title, icon=demo.icon)
else:
    st.markdown(t("home.intro"))
    lecturer_offer()

    for first in range(0, len(DEMOS), CARDS_PER_ROW):
        row = DEMOS[first:first + CARDS_PER_ROW]
        for column, demo in zip(st.columns(CARDS_PER_ROW, gap="medium"), row):
            with column.container(border=True):
                st.image(demo.thumbnail, width="stretch")
                st.subheader(f"{demo.icon} {demo.title}")
                st.markdown(demo.teaser)
                st.page_link(demo.page, label=t("home.open"), icon="▶️")

    st.caption(t("home.offline"))
