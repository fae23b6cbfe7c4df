"""The shared model loaders and the background warm-up that fills them at server start."""

import gc
import threading

import pytest

from ui import loaders


@pytest.mark.filterwarnings("error::pytest.PytestUnhandledThreadExceptionWarning")
def test_the_warm_up_starts_once_and_loads_every_model_without_an_error():
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
    # the loaders now answer from the cache with the real models
    generator, critic, record = loaders.gan("digits")
    assert generator.latent_dim == 64 and record["generator_steps"] > 0
    kv, word_map = loaders.word_vectors()
    assert "beijing" in kv.key_to_index and word_map.shape == (30_000, 2)
