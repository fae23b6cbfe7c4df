"""The lecture-hall deployment in Chromium: a real HAProxy in front of two real replicas.

Which replica served what is observed on both sides. HAProxy names the replica behind every
response (header X-Hall-Replica, also on the websocket's handshake, which Chromium reports
through the DevTools protocol together with the Cookie it sent). And the replicas themselves
tell: a /media file made from one visitor's upload exists only in the process whose session
received it.
"""

from __future__ import annotations

import asyncio
import random
import re
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import expect

from deploy.hall import COOKIE_NAME, REPLICA_HEADER, running_hall
from harness.interactions import ON_PAGE, PAGES
from harness.protocol import Visitor
from harness.browser import APP_ROOT, DESKTOP, open_app, settle
from ui.gallery import DEMOS


@pytest.fixture(scope="module")
def hall():
    with running_hall(replicas=2) as hall:
        yield hall


@pytest.fixture
def visitor(chromium):
    """A new visitor (browser context) with a page whose traffic is recorded."""
    context = chromium.new_context(**DESKTOP)
    page = context.new_page()
    yield page, Traffic(page)
    context.close()


class Traffic:
    """Every HTTP response of a page, and every websocket handshake as (replica that
    answered it, Cookie header it was sent with)."""

    def __init__(self, page):
        self.responses = []
        self.sockets: list[tuple[str | None, str]] = []
        page.on("response", lambda response: self.responses.append(response))
        cdp = page.context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.on("Network.webSocketHandshakeResponseReceived", self._handshake)

    def _handshake(self, event) -> None:
        response = event["response"]
        headers = {k.lower(): v for k, v in response["headers"].items()}
        request = {k.lower(): v for k, v in (response.get("requestHeaders") or {}).items()}
        self.sockets.append((headers.get(REPLICA_HEADER.lower()), request.get("cookie", "")))

    def replicas(self, path_prefix: str = "/") -> set[str | None]:
        """The replicas that answered the responses whose path starts with `path_prefix`."""
        return {r.headers.get(REPLICA_HEADER.lower()) for r in self.responses
                if urlparse(r.url).path.startswith(path_prefix)}

    def uploads(self) -> list:
        return [r for r in self.responses if "/_stcore/upload_file/" in r.url
                and r.request.method == "PUT"]


def sticky_replica(page) -> str:
    values = [c["value"] for c in page.context.cookies() if c["name"] == COOKIE_NAME]
    assert len(values) == 1, page.context.cookies()
    return values[0]


def expect_images_loaded(page, count: int, caption: str = "") -> list[str]:
    """Wait until `count` or more images (those whose caption starts with one of the
    `caption` pattern's words, if given) are on the page, all of them decoded (a broken image
    has naturalWidth 0); returns their URLs' paths."""
    page.wait_for_function(
        f"""() => {{
            const images = [...document.querySelectorAll("[data-testid='stImage']")]
                .filter(e => new RegExp("^({caption})").test(e.innerText))
                .map(e => e.querySelector("img"));
            return images.length >= {count} && images.every(i => i.complete && i.naturalWidth > 0);
        }}""", timeout=60_000)
    sources = page.eval_on_selector_all("[data-testid='stImage'] img", "els => els.map(e => e.src)")
    return [urlparse(src).path for src in sources]


def wait_until(page, condition, timeout: float) -> None:
    """Poll `condition` (which reads what page events recorded) while Playwright runs."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        page.wait_for_timeout(100)  # lets Playwright deliver the page's events


def photo_pictures(page) -> list[str]:
    """The paths of the "Before" and "After" pictures: the ones made from the visitor's photo
    (the style tiles beside them are the same for everyone)."""
    pictures = page.locator("[data-testid='stImage']").filter(
        has_text=re.compile(r"^(Before|After)")).locator("img")
    expect(pictures).to_have_count(2)
    return [urlparse(src).path for src in
            pictures.evaluate_all("els => els.map(e => e.src)")]


def status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def noise_photo(tmp_path, seed: int):
    """A PNG no other visitor has: its media file names (content hashes) are its own."""
    pixels = np.random.default_rng(seed).integers(0, 256, (200, 300, 3), dtype=np.uint8)
    path = tmp_path / f"photo_{seed}.png"
    Image.fromarray(pixels).save(path)
    return path


def upload_photo(page, path) -> None:
    uploader = page.locator("[data-testid='stFileUploader'] input[type='file']").first
    settle(page, lambda: uploader.set_input_files(path))
    expect(page.get_by_text("Using your photo.")).to_be_visible()
    expect(page.get_by_text(re.compile(r"^After \(\d+x\d+\)$"))).to_have_text("After (512x341)")


def test_replicas_share_one_fresh_cookie_secret_and_one_core_each(hall):
    environments = []
    for replica in hall.replicas:
        raw = open(f"/proc/{replica.pid}/environ", "rb").read().decode().split("\0")
        environments.append(dict(item.split("=", 1) for item in raw if "=" in item))
    secrets = {env["STREAMLIT_SERVER_COOKIE_SECRET"] for env in environments}
    assert len(secrets) == 1 and re.fullmatch(r"[0-9a-f]{64}", secrets.pop())
    assert all(env["DEMO_TORCH_THREADS"] == "1" and env["DEMO_HEAVY_WORKERS"] == "1"
               for env in environments)


def test_pages_images_and_an_upload_work_through_the_proxy(hall, visitor, tmp_path):
    page, traffic = visitor
    open_app(page, f"{hall.url}/?lang=en")
    assert len(expect_images_loaded(page, len(DEMOS))) == len(DEMOS)  # the demos' thumbnails

    open_app(page, f"{hall.url}/style_transfer?lang=en")
    expect(page.get_by_text(re.compile(r"^After \(\d+x\d+\)$"))).to_have_text("After (512x512)")
    upload_photo(page, noise_photo(tmp_path, seed=1))
    expect_images_loaded(page, 2)
    uploads = traffic.uploads()
    assert uploads and all(r.ok for r in uploads)
    assert not page.locator("[data-testid='stException']").count()


def test_a_visitor_sticks_to_one_replica(hall, visitor, tmp_path):
    page, traffic = visitor
    open_app(page, f"{hall.url}/style_transfer?lang=en")
    upload_photo(page, noise_photo(tmp_path, seed=2))
    settle(page, lambda: page.get_by_role("slider").last.press("Home"))  # a rerun: size 256
    expect(page.get_by_text(re.compile(r"^After \(\d+x\d+\)$"))).to_have_text("After (256x171)")
    expect_images_loaded(page, 2)
    pictures = photo_pictures(page)

    name = sticky_replica(page)
    assert name in {replica.name for replica in hall.replicas}
    # HAProxy's side: every response, the websocket, the media and the upload came from it,
    assert traffic.replicas() == {name}
    assert traffic.replicas("/media/") == {name} and traffic.uploads()
    assert traffic.sockets and all(replica == name for replica, _ in traffic.sockets)
    # and after the first page, everything was asked for with its cookie.
    assert all(f"{COOKIE_NAME}={name}" in cookie for _, cookie in traffic.sockets)
    for response in traffic.responses[1:]:
        assert f"{COOKIE_NAME}={name}" in response.request.all_headers().get("cookie", "")
    # The replicas' side: the pictures made from this visitor's photo live in its replica only.
    own, = (r for r in hall.replicas if r.name == name)
    other, = (r for r in hall.replicas if r.name != name)
    assert all(path.startswith("/media/") for path in pictures)
    assert [status(own.url + path) for path in pictures] == [200] * len(pictures)
    assert [status(other.url + path) for path in pictures] == [404] * len(pictures)


def test_a_crowd_of_protocol_visitors_all_get_their_answers(hall):
    """A bounded load smoke through HAProxy: 30 visitors (Streamlit's websocket protocol, no
    browser) each open a demo and interact three times; every run finishes without an error
    on the page, and HAProxy spreads the visitors over both replicas."""
    visitors, interactions = 30, 3

    async def visit(index: int) -> tuple[str, int]:
        rng = random.Random(index)
        page = PAGES[index % len(PAGES)]
        visitor = Visitor(hall.url, timeout=120)
        try:
            await asyncio.sleep(rng.uniform(0, 3))  # they arrive within a few seconds
            await visitor.connect()
            await visitor.open_page(page)
            for _ in range(interactions):
                await asyncio.sleep(rng.uniform(0.2, 1.0))
                await ON_PAGE[page].over_protocol(visitor, rng)
            return visitor.cookies[COOKIE_NAME], interactions
        finally:
            await visitor.close()

    async def crowd() -> list[tuple[str, int]]:
        return await asyncio.gather(*(visit(i) for i in range(visitors)))

    # In a thread of its own: Playwright's synchronous API keeps an event loop in this one.
    with ThreadPoolExecutor(1) as thread:
        results = thread.submit(asyncio.run, crowd()).result()
    assert sum(done for _, done in results) == visitors * interactions
    assert {replica for replica, _ in results} == {r.name for r in hall.replicas}


@pytest.fixture
def doomed_hall():
    """A hall of its own for the test that kills a replica: the module's hall stays whole for
    the other tests, whatever order they run in."""
    with running_hall(replicas=2) as hall:
        yield hall


def test_when_its_replica_dies_the_page_reconnects_to_another_and_works(doomed_hall, visitor,
                                                                        tmp_path):
    hall = doomed_hall
    page, traffic = visitor
    for replica in hall.replicas:  # both have loaded the page's models before one dies
        open_app(page, f"{replica.url}/style_transfer?lang=en")
    open_app(page, f"{hall.url}/style_transfer?lang=en")
    expect(page.get_by_text(re.compile(r"^After \(\d+x\d+\)$"))).to_have_text("After (512x512)")
    name = sticky_replica(page)
    index = [replica.name for replica in hall.replicas].index(name)
    survivor = hall.replicas[1 - index].name
    # Streamlit's frontend notices the closed websocket and opens a new one by itself;
    # HAProxy sends it to the survivor (the cookie names a replica that refuses).
    handshakes = len(traffic.sockets)
    hall.kill_replica(index)
    wait_until(page, lambda: len(traffic.sockets) > handshakes, timeout=90)
    assert traffic.sockets[-1][0] == survivor
    page.wait_for_selector(f"{APP_ROOT}[data-test-script-state='notRunning']",
                           timeout=90_000)
    # The page works again: an upload (XSRF-checked, with the cookie the dead replica
    # set) reruns the script on the survivor, which paints it.
    upload_photo(page, noise_photo(tmp_path, seed=3))
    # the pictures of the visitor's photo, made on the survivor (the style tiles in their tab
    # are the same on every replica)
    expect_images_loaded(page, 2, caption="Before|After")
    pictures = photo_pictures(page)
    assert sticky_replica(page) == survivor
    assert traffic.uploads() and all(r.ok for r in traffic.uploads())
    assert {r.headers.get(REPLICA_HEADER.lower()) for r in traffic.uploads()} == {survivor}
    survivor_url = hall.replicas[1 - index].url
    assert [status(survivor_url + path) for path in pictures] == [200] * len(pictures)
    assert not page.locator("[data-testid='stException']").count()
    hall.wait_for_states({name: "DOWN", survivor: "UP"})


def test_a_visitor_on_the_other_replica_follows_the_lecturer(chromium, hall):
    """The lecturer shares from replica r0, a phone on r1 follows: the room lives in the
    hall's Redis, which both replicas see."""
    pages = {}
    for role, replica in (("lecturer", "r0"), ("follower", "r1")):
        context = chromium.new_context(**DESKTOP)
        context.add_cookies([{"name": COOKIE_NAME, "value": replica, "url": hall.url}])
        pages[role] = context.new_page()
    lecturer, follower = pages["lecturer"], pages["follower"]
    try:
        open_app(follower, f"{hall.url}/?lang=en")
        settle(follower, follower.get_by_text("Follow the lecturer").click)
        expect(follower.get_by_text("The lecturer has not shared anything yet.")).to_be_visible()

        open_app(lecturer, f"{hall.url}/speech?lang=en&present=1&seed=42")
        key = lecturer.locator(".st-key-classroom-key_input input")
        key.fill(hall.lecturer_key)
        settle(lecturer, lambda: key.press("Enter"))
        settle(lecturer, lecturer.get_by_text("Share with the room").click)

        expect(follower).to_have_url(re.compile(r"/speech\?.*seed=42"), timeout=30_000)
        expect(follower.locator(".st-key-speech-seed input")).to_have_value("42")
        expect(follower.get_by_text("Following the lecturer: Speech synthesis")).to_be_visible()
        seed = lecturer.locator(".st-key-speech-seed input")
        seed.fill("7")
        settle(lecturer, lambda: seed.press("Enter"))
        expect(follower.locator(".st-key-speech-seed input")).to_have_value("7", timeout=30_000)
        served_by = {role: {c["name"]: c["value"] for c in page.context.cookies()}[COOKIE_NAME]
                     for role, page in pages.items()}
        assert served_by == {"lecturer": "r0", "follower": "r1"}
    finally:
        for page in pages.values():
            page.context.close()
