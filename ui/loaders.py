"""The models every visitor shares, loaded once per server process, and their warm-up.

Each demo's registry entry (ui/gallery.py) names its loader, a backend function returning
everything its page shares among visitors (networks, vectors, precomputed maps). The first
call loads, every later call (any session, any thread) gets the same object. Loading them all
takes seconds (torch, 400,000 GloVe vectors, several networks), so `start_warm_up` loads
everything in a background thread once the first page has been served: by the time the
lecturer clicks a demo it is ready.

The loaders are named as strings and imported here on first use, so that the home page never
waits for torch.
"""

from __future__ import annotations

import gc
import importlib
import logging
import os
import threading

import streamlit as st

from ui.gallery import DEMO_BY_KEY, DEMOS
from ui.i18n import t

log = logging.getLogger(__name__)


@st.cache_resource(show_spinner=False)
def _loaded(key: str):
    module, function = DEMO_BY_KEY[key].loader.split(":")
    return getattr(importlib.import_module(module), function)()


def shared_models(key: str):
    """What demo `key`'s loader returns, loaded once per process.

    A compute device the server cannot use (DEMO_DEVICE=junk, or cuda on a machine without
    one) stops the page with that one clear message instead of a generic error."""
    from backend.device import DeviceError
    try:
        return _loaded(key)
    except DeviceError as error:
        st.error(t("common.device_unusable", problem=str(error)), icon="⚠️")
        st.stop()


def load_everything() -> None:
    """Load every demo's models, then take everything loaded so far out of the garbage
    collector's sweeps (after one last collection, so that no garbage is kept). The models
    live as long as the process; left on the collector's lists (400,000 GloVe words alone),
    its full sweeps would walk them again and again and slow every interaction down."""
    from backend.device import DeviceError, get_device
    try:
        get_device()
    except DeviceError as error:  # said once here; each torch page says it to its visitors
        log.error("The gallery's models cannot load: %s", error)
        return
    for demo in DEMOS:
        _loaded(demo.key)
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
