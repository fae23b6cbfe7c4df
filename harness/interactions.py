"""What a visitor does on each demo page, as protocol messages: the load benchmark's and the
load smoke test's visitors. The widget values are the ones Chromium sends (see protocol.py)."""

from __future__ import annotations

import base64
import io
import random
import time
from collections.abc import Awaitable, Callable

from PIL import Image, ImageDraw

from harness.protocol import RunResult, Visitor, canvas_value


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

Interaction = Callable[[Visitor, random.Random], Awaitable[RunResult]]
INTERACTIONS: dict[str, Interaction] = {
    "autoencoder": lambda v, rng: v.set_widget(
        "autoencoder.canvas.0", json_value=canvas_value(stroke_png(rng))),
    "word_vectors": lambda v, rng: v.set_widget(
        "word_vectors.expression", string_value=rng.choice(EXPRESSIONS)),
    "gan": lambda v, rng: v.set_widget("gan.end", string_array_value=[f"#{rng.randint(1, 12)}"]),
    # the gallery opens in Hungarian: built-in style n is labelled "n. stílus"
    "style_transfer": lambda v, rng: v.set_widget(
        "style_transfer.style", string_value=f"{rng.randint(1, 26)}. stílus"),
    "adversarial_patch": lambda v, rng: v.set_widget(
        "adversarial_patch.click", json_value=(
            f'{{"x":{rng.randint(40, 410)},"y":{rng.randint(40, 410)},"width":454,'
            f'"height":454,"unix_time":{int(time.time() * 1000)}}}')),
}
PAGES = list(INTERACTIONS)
