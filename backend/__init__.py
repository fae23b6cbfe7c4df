"""The deep-learning side of the gallery: models and pure inference functions.

Nothing in this package imports streamlit, so every function can be tested and benchmarked
without a browser or a Streamlit runtime.
"""

import os

# torch's OpenMP workers spin while waiting for work. With several visitors' requests (or
# other processes) sharing the cores, spinning workers starve each other: a 0.14 ms decoder
# pass measured 46 ms under load. Sleeping workers fix that. libgomp reads this variable once,
# when torch loads, so it has to be set before the first `import torch` (see app.py).
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
