"""Thin Streamlit helpers shared by the pages: translations, the demo list, common widgets."""
