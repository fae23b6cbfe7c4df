"""Pages that run while the background warm-up is loading the models.

The warm-up imports pandas (the word vectors' and the Wasserstein page's libraries do). Some
libraries do not import pandas but look it up in sys.modules: plotly's figure validation
does, and while another thread is still executing pandas' import it finds a half-made module
("partially initialized module 'pandas' has no attribute 'Series'"). A hall of phones opening
the app right after the server starts lands in exactly that window. Here the window is held
open on purpose while the pages run (those that import pandas themselves wait for it)."""

from __future__ import annotations

import os
import subprocess
import sys

from harness.browser import REPO_ROOT
from ui.gallery import DEMOS

# In a fresh interpreter (pandas not imported yet): hold pandas' import open (for at most
# HOLD seconds), start the real warm-up, and once it is inside that import, open every page
# as a visitor would.
SCRIPT = r"""
import importlib.abc, importlib.util, os, sys, threading

HOLD = 20
inside_pandas, pages_done = threading.Event(), threading.Event()

class HeldPandas(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name != "pandas":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        run_module = spec.loader.exec_module
        def held(module):
            inside_pandas.set()
            pages_done.wait(HOLD)
            run_module(module)
        spec.loader.exec_module = held
        return spec

sys.meta_path.insert(0, HeldPandas())
from tests.apptest import run_page
from ui.loaders import load_everything

threading.Thread(target=load_everything, daemon=True).start()
assert inside_pandas.wait(120), "the warm-up never imported pandas"
INSIDE = int(sys.argv[1])  # how many of the pages to run inside the window
for page in sys.argv[2:]:
    app = run_page(page)
    print(page, "half-made pandas" if "pandas" in sys.modules and not hasattr(
        sys.modules["pandas"], "DataFrame") else "", [e.value for e in app.exception], flush=True)
    if page == sys.argv[1 + INSIDE]:  # the pages that import pandas themselves need not wait
        pages_done.set()
os._exit(0)
"""


# Pages that never import pandas themselves, so they run inside the window; the others
# import it (Streamlit's component and dataframe code does), which waits for it: safe.
INSIDE_THE_WINDOW = ["app_pages/gan.py", "app_pages/speech.py", "app_pages/style_transfer.py"]


def test_pages_during_the_warm_up_show_no_error():
    pages = INSIDE_THE_WINDOW + [demo.page for demo in DEMOS
                                 if demo.page not in INSIDE_THE_WINDOW]
    result = subprocess.run([sys.executable, "-c", SCRIPT, str(len(INSIDE_THE_WINDOW)), *pages],
                            cwd=REPO_ROOT, capture_output=True, text=True, timeout=400,
                            env=os.environ | {"DEMO_WARM_UP": "0"})
    lines = result.stdout.splitlines()
    assert len(lines) == len(pages), result.stdout + result.stderr[-3000:]
    for line in lines[:len(INSIDE_THE_WINDOW)]:
        assert "half-made pandas" in line  # it did run while pandas was being imported
    for line in lines:
        assert line.endswith(" []"), line
