"""The latency baseline for bench/ui_latency.py: a page with one slider and one text."""

import streamlit as st

value = st.slider("Value", 0, 100, 50, key="value")
st.write(f"The value is {value}.")
