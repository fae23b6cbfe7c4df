"""A lecturer's first click on each demo, on a freshly started server: with the background
warm-up (ui/loaders.py) against the same server with it turned off (DEMO_WARM_UP=0).

Each run starts its own server, opens the home page, waits while the lecturer introduces the
gallery (--intro seconds), then opens every demo page once, each in a new browser context,
and times it until its first run has finished. Prints each page's time and the ratio.

    .venv/bin/python bench/first_visit.py [--intro 20]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import Browser, sync_playwright  # noqa: E402

from harness.browser import DESKTOP, launch_chromium, open_app, streamlit_server  # noqa: E402
from ui.gallery import DEMOS  # noqa: E402


def seconds_to_open(browser: Browser, url: str) -> float:
    context = browser.new_context(**DESKTOP)
    start = time.perf_counter()
    open_app(context.new_page(), url)
    elapsed = time.perf_counter() - start
    context.close()
    return elapsed


def first_visits(browser: Browser, warm_up: bool, intro: float) -> dict[str, float]:
    """Seconds to open each demo page for the first time on a new server."""
    with streamlit_server("app.py", environment={"DEMO_WARM_UP": "1" if warm_up else "0"}) as url:
        seconds_to_open(browser, url)  # the home page
        time.sleep(intro)
        return {demo.key: seconds_to_open(browser, f"{url}/{demo.key}") for demo in DEMOS}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--intro", type=float, default=20,
                        help="seconds between opening the home page and the first demo")
    args = parser.parse_args(argv)
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        cold = first_visits(browser, warm_up=False, intro=args.intro)
        warm = first_visits(browser, warm_up=True, intro=args.intro)
        browser.close()
    for key in cold:
        print(f"{key}: first visit {warm[key]:.2f} s with warm-up, {cold[key]:.2f} s without, "
              f"ratio {warm[key] / cold[key]:.2f}")
    print(f"ratio all demos, warm-up / none: {sum(warm.values()) / sum(cold.values()):.2f}")


if __name__ == "__main__":
    main()
