"""The models every visitor shares, loaded once per server process, and their warm-up.

Each loader is an st.cache_resource: the first call loads, every later call (any session, any
thread) gets the same object. Loading them all takes seconds (torch, 400,000 GloVe vectors,
five networks): on a cold server the first visitor of the word-vector page waited 8.5 s.
`start_warm_up` loads everything in a background thread once the first page has been served,
so by the time the lecturer clicks a demo it is ready.

The backend modules are imported inside the loaders so that the home page never waits for
torch.
"""

from __future__ import annotations

import gc
import os
import threading

import streamlit as st


@st.cache_resource(show_spinner=False)
def autoencoder():
    """(VAE, LatentMap of the held-out digits)."""
    from backend import autoencoder as ae
    model = ae.load_model()
    return model, ae.load_latent_map(model)


@st.cache_resource(show_spinner=False)
def word_vectors():
    """(GloVe KeyedVectors, the precomputed UMAP map of the most frequent words)."""
    from backend import word_vectors as wv
    return wv.load_glove(), wv.load_word_map()


@st.cache_resource(show_spinner=False)
def gan(name: str):
    """(Generator, Critic, training record) of the GAN trained on data set `name`."""
    from backend import gan as gan_backend
    from backend.device import get_device
    generator, critic = gan_backend.load_models(gan_backend.ASSETS / name, get_device())
    return generator, critic, gan_backend.read_training_record(gan_backend.ASSETS / name)


@st.cache_resource(show_spinner=False)
def style_networks():
    """(26-style TransformNet, arbitrary-style StylePredictor, arbitrary TransformNet)."""
    from backend import style_transfer as stl
    from backend.device import get_device
    device = get_device()
    return (stl.load_multistyle(device), *stl.load_arbitrary(device))


@st.cache_resource(show_spinner=False)
def classifier():
    """The frozen EfficientNet-Lite0 ImageNet classifier."""
    from backend import adversarial_patch as ap
    return ap.load_classifier()


def load_everything() -> None:
    """Load every model, then take everything loaded so far out of the garbage collector's
    sweeps (after one last collection, so that no garbage is kept). The models live as long
    as the process; with them on the collector's lists (400,000 GloVe words alone), its full
    sweeps made every interaction slower: in bench/ui_latency.py, frozen vs not, a GAN
    endpoint 271-282 vs 383-420 ms, a word expression 315-323 vs 391-444 ms, a style
    389-397 vs 578-607 ms."""
    from backend.gan import MODELS
    autoencoder()
    word_vectors()
    for name in MODELS:
        gan(name)
    style_networks()
    classifier()
    gc.collect()
    gc.freeze()


@st.cache_resource(show_spinner=False)
def start_warm_up() -> threading.Thread | None:
    """Once per process: load every model in a background thread.

    Not a daemon thread: a process ending during the warm-up waits the few seconds for it
    to finish, instead of killing it inside torch's C++ code, which aborts the process (exit
    code 134). Said explicitly, because a thread inherits the daemon flag of the thread that
    starts it, and Streamlit's script threads are daemons.

    DEMO_WARM_UP=0 turns it off (models then load on their page's first visit), for a server
    short of memory and for bench/first_visit.py's baseline."""
    if os.environ.get("DEMO_WARM_UP", "1") == "0":
        return None
    thread = threading.Thread(target=load_everything, name="warm-up", daemon=False)
    thread.start()
    return thread
