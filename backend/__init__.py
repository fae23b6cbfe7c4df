"""The deep-learning side of the gallery: models and pure inference functions.

Nothing in this package imports streamlit, so every function can be tested and benchmarked
without a browser or a Streamlit runtime. Importing it changes nothing in the process: entry
points call `backend.process.tune_process()` themselves.
"""
