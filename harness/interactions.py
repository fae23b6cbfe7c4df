"""What a visitor typically does on each demo page, two ways: in a real browser (what
bench/ui_latency.py times) and as protocol messages (bench/load.py's and the load smoke
test's crowds; the widget values are the ones Chromium sends, see protocol.py). Each demo's
registry entry (ui/gallery.py) names its interaction here."""

from __future__ import annotations

import base64
import io
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from PIL import Image, ImageDraw
from playwright.sync_api import Page

from harness.browser import draw_stroke, drawing_canvas, settle
from harness.protocol import RunResult, Visitor, canvas_value
from ui.gallery import DEMOS


def stroke_png(rng: random.Random) -> str:
    """A digit-like stroke as the drawing canvas sends it: white ink, 20 px, on black."""
    picture = Image.new("RGBA", (280, 280), (0, 0, 0, 255))
    draw = ImageDraw.Draw(picture)
    points = [(rng.uniform(60, 220), rng.uniform(40, 240)) for _ in range(rng.randint(3, 6))]
    draw.line(points, fill=(255, 255, 255, 255), width=20, joint="curve")
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


EXPRESSIONS = ["king - man + woman", "paris - france + japan", "rome - italy + china",
               "walked - walk + swim", "bigger - big + small", "house - roof + castle",
               "knee - leg + elbow", "china - taiwan + russia", "berlin - germany + france"]


def draw_on_canvas(page: Page, index: int) -> float:
    box = drawing_canvas(page)
    x = 0.2 + 0.6 * (index % 5) / 4
    return settle(page, lambda: draw_stroke(page, box, [(x, 0.2), (x, 0.5), (x + 0.05, 0.8)]))


def submit_expression(page: Page, index: int) -> float:
    box = page.locator("[data-testid='stTextInput'] input")
    box.fill(EXPRESSIONS[index % 3])  # differs from the previous one every time
    return settle(page, lambda: box.press("Enter"))


def pick_gan_endpoint(page: Page, index: int) -> float:
    """Pick another end sample: two interpolations, their critic scores and charts rerun."""
    pill = page.locator(".st-key-gan-end").get_by_role("radio", name=f"#{2 + index % 10}",
                                                        exact=True)
    return settle(page, pill.click)


def pick_a_style(page: Page, index: int) -> float:
    """Pick a style not painted before: the page caches sample photos painted in a style for
    every visitor, and this measures the painting, not the cache."""
    # the gallery opens in Hungarian: built-in style n is labelled "n. stílus"
    page.locator("[data-testid='stSelectbox']").filter(has_text="Válassz stílust").click()
    page.keyboard.type(f"{3 + index % 16}. stílus")  # typing filters the (virtualised) list
    return settle(page, lambda: page.keyboard.press("Enter"))


PATCH_PHOTO = "iframe[title='streamlit_image_coordinates.streamlit_image_coordinates']"


def click_patch_photo(page: Page, index: int) -> float:
    """Click the photo: the patch moves there and the top 5 are recomputed."""
    photo = page.frame_locator(PATCH_PHOTO).locator("#image")
    photo.wait_for()  # a quick page (a static twin) is idle before its component has loaded
    box = photo.bounding_box()
    x, y = 0.2 + 0.6 * (index % 4) / 3, 0.3 + 0.4 * (index % 3) / 2
    return settle(page, lambda: page.mouse.click(box["x"] + x * box["width"],
                                                 box["y"] + y * box["height"]))


def train_one_epoch(page: Page, index: int) -> float:
    """Press "one epoch": the networks train one pass over the data, every picture redraws."""
    return settle(page, page.locator(".st-key-playground-step button").click)


def train_the_critic_one_step(page: Page, index: int) -> float:
    """Press the critic tab's "one step" (opening its tab first, untimed): it trains, its
    heatmap and curves redraw."""
    tab = page.get_by_role("tab").nth(1)
    if tab.get_attribute("aria-selected") != "true":
        settle(page, tab.click)
    return settle(page, page.locator(".st-key-wasserstein-step_critic button").click)


def pick_another_seed(page: Page, index: int) -> float:
    """Type another seed: the sentence is synthesized anew (not from the shared cache) and
    its players, phonemes and spectrogram redraw."""
    box = page.locator(".st-key-speech-seed input")
    box.fill(str(1000 + index))
    return settle(page, lambda: box.press("Enter"))


@dataclass(frozen=True)
class Interaction:
    in_browser: Callable[[Page, int], float]  # (page, repetition) -> seconds until settled
    over_protocol: Callable[[Visitor, random.Random], Awaitable[RunResult]]


INTERACTIONS: dict[str, Interaction] = {
    "draw a digit": Interaction(draw_on_canvas, lambda v, rng: v.set_widget(
        "autoencoder.canvas.0", json_value=canvas_value(stroke_png(rng)))),
    "type an expression": Interaction(submit_expression, lambda v, rng: v.set_widget(
        "word_vectors.expression", string_value=rng.choice(EXPRESSIONS))),
    "pick an end sample": Interaction(pick_gan_endpoint, lambda v, rng: v.set_widget(
        "gan.end", string_array_value=[f"#{rng.randint(1, 12)}"])),
    "pick a style": Interaction(pick_a_style, lambda v, rng: v.set_widget(
        "style_transfer.style", string_value=f"{rng.randint(1, 26)}. stílus")),
    "click the photo": Interaction(click_patch_photo, lambda v, rng: v.set_widget(
        "adversarial_patch.click", json_value=(
            f'{{"x":{rng.randint(40, 410)},"y":{rng.randint(40, 410)},"width":454,'
            f'"height":454,"unix_time":{int(time.time() * 1000)}}}'))),
    "train one epoch": Interaction(train_one_epoch, lambda v, rng: v.set_widget(
        "playground.step", trigger_value=True)),
    "train the critic one step": Interaction(train_the_critic_one_step, lambda v, rng: v.set_widget(
        "wasserstein.step_critic", trigger_value=True)),
    "pick another seed": Interaction(pick_another_seed, lambda v, rng: v.set_widget(
        "speech.seed", int_value=rng.randint(0, 9999))),
}
ON_PAGE: dict[str, Interaction] = {demo.key: INTERACTIONS[demo.interaction] for demo in DEMOS}
PAGES = list(ON_PAGE)  # the demo pages' url paths
