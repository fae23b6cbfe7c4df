"""Run one page of the gallery headlessly with Streamlit's AppTest, through app.py's navigation."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from streamlit.testing.v1 import AppTest

from harness.browser import REPO_ROOT

TIMEOUT = 120  # seconds; AppTest's default of 3 s is far too short for loading torch models


def run_page(page: str, lang: str = "en", timeout: float = TIMEOUT,
             query: dict[str, str] | None = None) -> AppTest:
    """The app switched to `page` (e.g. "app_pages/autoencoder.py") in language `lang`, run
    once; with `query`, a fresh session opened from a URL with those query parameters."""
    app = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=timeout)
    app.session_state["lang"] = lang
    if query is not None:
        app.query_params.update(query)
        return app.switch_page(page).run()
    app.run()
    app.switch_page(page)
    return app.run()


@contextmanager
def full_heavy_line(monkeypatch: pytest.MonkeyPatch, kind: str) -> Iterator[None]:
    """The pages' heavy-work line replaced by a real one whose only worker is busy with
    someone else's `kind` job and that has no room to wait: the next heavy job is refused."""
    from ui import heavy_work

    line, release = heavy_work.HeavyWork(workers=1, line_length=0), threading.Event()

    def blocker():
        release.wait(60)
        yield None

    line.submit("someone else", kind, blocker, typical_seconds=5)
    monkeypatch.setattr(heavy_work, "shared_line", lambda: line)
    try:
        yield
    finally:
        release.set()
        line.shutdown()
