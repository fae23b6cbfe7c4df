"""The registry's loaders and the background warm-up that calls them at server start."""

import gc
import importlib
import os
import subprocess
import sys
import threading

import pytest

from harness.browser import REPO_ROOT
from harness.interactions import INTERACTIONS
from ui import loaders
from ui.gallery import DEMOS


@pytest.mark.parametrize("demo", DEMOS, ids=lambda demo: demo.key)
def test_every_demo_names_a_loader_and_a_benchmark_interaction(demo):
    module, function = demo.loader.split(":")
    assert module == f"backend.{demo.key}", "a demo's loader lives in its own backend module"
    assert callable(getattr(importlib.import_module(module), function))
    assert demo.interaction in INTERACTIONS


@pytest.mark.filterwarnings("error::pytest.PytestUnhandledThreadExceptionWarning")
def test_the_warm_up_starts_once_and_loads_every_registered_demo_without_an_error():
    # Started from a daemon thread, as Streamlit's script threads are.
    started = []
    starter = threading.Thread(target=lambda: started.append(loaders.start_warm_up()),
                               daemon=True)
    starter.start()
    starter.join()
    thread = started[0]
    assert thread is not None and loaders.start_warm_up() is thread  # once per process
    assert not thread.daemon, "a process ending mid-warm-up must wait, not abort in torch"
    thread.join(timeout=600)
    assert not thread.is_alive()
    assert gc.get_freeze_count() > 0, "what the warm-up loaded is out of the collector's sweeps"
    # the loaders answer from the cache now, with the real models
    generator, critic, record = loaders.shared_models("gan")["digits"]
    assert generator.latent_dim == 64 and record["generator_steps"] > 0
    kv, word_map = loaders.shared_models("word_vectors")
    assert "beijing" in kv.key_to_index and word_map.shape == (30_000, 2)


@pytest.mark.parametrize("device", ["junk", "cuda:7"])
def test_an_unusable_device_is_said_once_at_warm_up_and_on_each_page(device):
    """DEMO_DEVICE=junk (or a GPU the machine lacks): the warm-up logs one clear line instead
    of dying with a traceback, and a torch page shows that message instead of an error."""
    def run(program: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-c", program], cwd=REPO_ROOT, text=True,
                              capture_output=True, timeout=300, env={
                                  **os.environ, "DEMO_DEVICE": device, "DEMO_WARM_UP": "0"})

    warm_up = run("import logging; logging.basicConfig()\n"
                  "from ui.loaders import load_everything; load_everything()")
    assert warm_up.returncode == 0 and "Traceback" not in warm_up.stderr, warm_up.stderr
    assert warm_up.stderr.count(f"DEMO_DEVICE={device!r}") == 1, warm_up.stderr

    page = run("from tests.apptest import run_page\n"
               "app = run_page('app_pages/gan.py')\n"
               "print(not app.exception, *(error.value for error in app.error), sep='\\n')")
    ran_cleanly, *errors = page.stdout.strip().splitlines()
    assert ran_cleanly == "True" and len(errors) == 1, page.stdout + page.stderr
    assert f"DEMO_DEVICE={device!r}" in errors[0] and "cannot run on this server" in errors[0]
