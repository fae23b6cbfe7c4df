"""Run one page of the gallery headlessly with Streamlit's AppTest, through app.py's navigation."""

from __future__ import annotations

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
