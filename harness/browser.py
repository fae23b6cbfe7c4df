"""Real-browser plumbing shared by the browser tests and bench/ui_latency.py.

Starts `streamlit run` on a free localhost port and drives Debian's Chromium with Playwright.
"The page settled after my action" is observed, not guessed with sleeps: Streamlit marks its
root element with data-test-script-state ("running" / "notRunning"), and a MutationObserver
records when the page last changed.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from playwright.sync_api import Browser, Page, Playwright, expect

# The process plumbing is shared with the lecture-hall launcher; REPO_ROOT and free_port are
# also imported from here.
from deploy.hall import (REPO_ROOT, free_port, start_streamlit,  # noqa: F401
                         stop_processes, wait_healthy)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-dev-shm-usage"]
APP_ROOT = "[data-testid='stApp']"
DESKTOP = {"viewport": {"width": 1920, "height": 1080}}
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
         "is_mobile": True, "has_touch": True}


@contextmanager
def streamlit_server(script: str = "app.py", timeout: float = 90,
                     environment: dict[str, str] | None = None) -> Iterator[str]:
    """Run `streamlit run script` on a free port (`environment` added to this process's);
    yields its base URL."""
    port = free_port()
    env = {"DEMO_DEVICE": os.environ.get("DEMO_DEVICE", "cpu"), **(environment or {})}
    process = start_streamlit(script, port, env, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process, timeout)
        yield url
    finally:
        stop_processes([process], timeout=10)


def launch_chromium(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


_OBSERVER = """() => {
  const root = document.querySelector("[data-testid='stApp']");
  window.__lastChange = 0;
  window.__ran = false;
  new MutationObserver(records => {
    window.__lastChange = performance.now();
    if (records.some(r => r.attributeName === 'data-test-script-state' &&
                          r.oldValue === 'running')) window.__ran = true;
  }).observe(root, {subtree: true, childList: true, characterData: true, attributes: true,
                    attributeOldValue: true});
}"""


def open_app(page: Page, url: str, timeout: float = 90_000) -> None:
    """Load a page of the app and wait until its first run has finished."""
    page.goto(url)
    page.wait_for_selector(f"{APP_ROOT}[data-test-script-state='notRunning']", timeout=timeout)
    page.evaluate(_OBSERVER)


def settle(page: Page, action: Callable[[], None], quiet_ms: float = 400,
           timeout: float = 60_000) -> float:
    """Do `action`, then wait until the page has settled: the script is not running and the
    page has stopped changing for `quiet_ms`. Returns the seconds from the end of the action
    to the page's last change.

    A very fast rerun can flip the script state to "running" and back within one render, so
    the state attribute alone cannot tell that a rerun happened; the page's changes can.
    """
    before = page.evaluate("() => { window.__ran = false; return performance.now(); }")
    action()
    start = page.evaluate("() => performance.now()")
    page.wait_for_function(
        f"""() => (window.__ran || window.__lastChange > {before}) &&
            document.querySelector("{APP_ROOT}").getAttribute('data-test-script-state')
              === 'notRunning' &&
            performance.now() - window.__lastChange > {quiet_ms}""",
        timeout=timeout, polling=50)
    return max(0.0, page.evaluate("() => window.__lastChange") - start) / 1000


def drawing_canvas(page: Page) -> dict:
    """The bounding box of the drawable canvas, once its drawing layer is mounted."""
    layer = page.locator(".canvas-root canvas.upper-canvas").first
    layer.wait_for(state="visible")
    layer.scroll_into_view_if_needed()
    return layer.bounding_box()


def draw_stroke(page: Page, canvas_box: dict, points: list[tuple[float, float]]) -> None:
    """Draw one stroke with the mouse; points are fractions (x, y) of the canvas size."""
    def at(point: tuple[float, float]) -> tuple[float, float]:
        return (canvas_box["x"] + point[0] * canvas_box["width"],
                canvas_box["y"] + point[1] * canvas_box["height"])

    page.mouse.move(*at(points[0]))
    page.mouse.down()
    for point in points[1:]:
        page.mouse.move(*at(point), steps=4)
    page.mouse.up()


def touch_stroke(page: Page, canvas_box: dict, points: list[tuple[float, float]]) -> None:
    """Draw one stroke with a finger (real touch events through the DevTools protocol)."""
    cdp = page.context.new_cdp_session(page)

    def touch(kind: str, point: tuple[float, float] | None) -> None:
        touch_points = [] if point is None else [{
            "x": canvas_box["x"] + point[0] * canvas_box["width"],
            "y": canvas_box["y"] + point[1] * canvas_box["height"]}]
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": touch_points})

    touch("touchStart", points[0])
    for point in points[1:]:
        touch("touchMove", point)
    touch("touchEnd", None)
    cdp.detach()


def assert_no_exception(page: Page) -> None:
    """The page shows no Streamlit exception box."""
    expect(page.locator("[data-testid='stException']")).to_have_count(0, timeout=1_000)


def number_in(page: Page, status: re.Pattern) -> int:
    """The number in group 1 of the one text on the page that `status` matches, e.g. the
    epoch or step of a live training's status line."""
    line = page.get_by_text(status)
    expect(line).to_have_count(1)
    return int(status.search(line.inner_text()).group(1))
