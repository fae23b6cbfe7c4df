"""The pace of live animations (a network training on screen), shared by every visitor of one
server process.

Each animation frame costs the server a fixed amount of work (the training chunk, the
pictures, Streamlit's messages and media requests), and one process runs all its visitors'
scripts on about one core. So a whole lecture hall pressing play at once must not take that
core from everyone else: the animations together get at most `cpu_share` of it. Alone, an
animation runs at its fastest pace; with many, each one's frames come further apart (and
each frame trains more, so training keeps its speed per second as far as it can). A page
asks for its pace when its animation starts (Streamlit's `run_every` is fixed then). And frames
are drawn one at a time: thirty frames computed at once would share the interpreter's lock
thirty-one ways with a visitor's click on another page, and make it wait the sum of them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st


class Pace:
    """Seconds between frames for each animating visitor, from how many animate now."""

    def __init__(self, frame_cpu_seconds: float, cpu_share: float, fastest: float,
                 forget_after: float = 10.0):
        self.frame_cpu_seconds = frame_cpu_seconds
        self.cpu_share = cpu_share
        self.fastest = fastest
        self.forget_after = forget_after  # a visitor gone quiet this long no longer counts
        self._last_frame: dict[str, float] = {}
        self._lock = threading.Lock()
        self._turns = threading.Condition()  # one frame at a time, first come first served
        self._next_ticket = self._now_serving = 0

    @contextmanager
    def frame(self) -> Iterator[None]:
        """Hold while computing and drawing one frame. Frames take turns in the order they
        asked (a plain lock lets some visitors' frames wait far longer than others')."""
        with self._turns:
            ticket, self._next_ticket = self._next_ticket, self._next_ticket + 1
            self._turns.wait_for(lambda: self._now_serving == ticket)
        try:
            yield
        finally:
            with self._turns:
                self._now_serving += 1
                self._turns.notify_all()

    def frame_interval(self, visitor: str, animating: bool) -> float:
        """Note whether `visitor` animates now; the interval every animation should use."""
        now = time.monotonic()
        with self._lock:
            if animating:
                self._last_frame[visitor] = now
            else:
                self._last_frame.pop(visitor, None)
            for other, seen in list(self._last_frame.items()):
                if now - seen > self.forget_after:
                    del self._last_frame[other]
            active = max(1, len(self._last_frame))
        return max(self.fastest, active * self.frame_cpu_seconds / self.cpu_share)


@st.cache_resource(show_spinner=False)
def shared_pace(name: str, frame_cpu_seconds: float, cpu_share: float, fastest: float) -> Pace:
    """One Pace per animation kind and server process, shared by every session."""
    return Pace(frame_cpu_seconds, cpu_share, fastest)
