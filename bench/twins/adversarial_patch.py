"""Static twin of app_pages/adversarial_patch.py (see bench/twins/app.py): the same tabs,
controls, clickable photo, top-5 bars and pictures; a click moves the patch and the bars."""

import json
import math

import numpy as np
import streamlit as st
from PIL import Image
from streamlit_image_coordinates import streamlit_image_coordinates

from backend.paths import asset
from bench.twins.common import ST_IMAGE_QUALITY, page_header, photo, timing_line
from ui.i18n import t
from ui.media import jpeg, png

PHOTOS = ("coffee", "rocket", "chelsea", "motorcycle", "camera", "clock")
PATCHES = ("toaster", "goldfish", "pineapple")  # the real page's order: the toaster first
ANY_WRONG = -1
CLICK_KEY = "adversarial_patch.click"
CENTER_KEY = "adversarial_patch.center"
BEFORE = [("espresso", 0.61), ("cup", 0.17), ("coffee mug", 0.09), ("eggnog", 0.04),
          ("soup bowl", 0.02)]


@st.cache_resource(show_spinner=False)
def fixed_content() -> tuple[list[str], dict[str, tuple[Image.Image, bytes, str]]]:
    """The 1,000 ImageNet class names, and each shipped patch (RGBA, its PNG, its label)."""
    names = json.loads(asset("imagenet_classes.json").read_text())
    patches = {}
    for name in PATCHES:
        record = json.loads(asset("adversarial_patch", f"{name}.json").read_text())
        rate = record["metrics"]["held_out_success_rate_at_10_percent"]
        picture = Image.open(asset("adversarial_patch", f"{name}.png")).convert("RGBA")
        patches[name] = (picture, png(picture),
                         t("adversarial_patch.shipped_patch", target=name, rate=rate))
    return names, patches


@st.cache_resource(show_spinner=False)
def pictures(name: str) -> tuple[Image.Image, list[bytes]]:
    """The photo's centre square at the real page's display size (448 px), and at the
    classifier's 224 px its original, an amplified perturbation and the attacked photo."""
    original = photo(name if name in ("coffee", "rocket", "chelsea") else "coffee")
    side = min(original.size)
    left, top = (original.width - side) // 2, (original.height - side) // 2
    square = original.crop((left, top, left + side, top + side))
    small = np.asarray(square.resize((224, 224), Image.LANCZOS))
    signs = np.random.default_rng(0).choice([-1, 1], small.shape)  # FGSM's kind of noise
    amplified = (127.5 + 127.5 * signs).astype(np.uint8)
    attacked = np.clip(small + 2 * signs, 0, 255).astype(np.uint8)
    return (square.resize((448, 448), Image.LANCZOS),
            [jpeg(picture, ST_IMAGE_QUALITY) for picture in (small, amplified, attacked)])


@st.cache_resource(show_spinner=False)
def sized_patch(name: str, diameter: int) -> Image.Image:
    return fixed_content()[1][name][0].resize((diameter, diameter), Image.BILINEAR)


def top5_bars(predictions: list[tuple[str, float]], highlight: str | None) -> None:
    for name, probability in predictions:
        mark = "🎯 " if name == highlight else ""
        st.progress(probability, text=f"{mark}{name} · {probability:.1%}")


def before_after(after: list[tuple[str, float]], highlight: str | None,
                 titles: tuple[str, str]) -> None:
    for column, predictions, title in zip(st.columns(2), (BEFORE, after), titles):
        with column:
            st.markdown(f"**{title}**")
            top5_bars(predictions, highlight)


def class_picker(label: str, key: str, default: int, extra: dict[int, str] | None = None) -> None:
    extra = extra or {}
    options = list(extra) + list(range(len(class_names)))
    st.selectbox(label, options, key=key, index=options.index(default),
                 format_func=lambda i: extra.get(i) or class_names[i])


@st.fragment
def patch_tab(display: Image.Image) -> None:
    controls, picture, results = st.columns([2, 3, 4], gap="medium")
    with controls:
        name = st.radio(t("adversarial_patch.patch"), PATCHES, key="adversarial_patch.which",
                        format_func=lambda n: patches[n][2])
        coverage = st.slider(t("adversarial_patch.coverage"), 2, 30, 20, format="%d%%",
                             key="adversarial_patch.coverage") / 100
        st.slider(t("adversarial_patch.rotation"), -180, 180, 0, step=5, format="%d°",
                  key="adversarial_patch.rotation")
        st.image(patches[name][1], width=96)
    if click := st.session_state.get(CLICK_KEY):
        st.session_state[CENTER_KEY] = [click["x"] / click["width"], click["y"] / click["height"]]
    center = st.session_state.setdefault(CENTER_KEY, [0.3, 0.3])
    with results:
        timing_line()
        # The click seeds the "after" bars, so that every click changes them.
        rng = np.random.default_rng([round(1000 * center[0]), round(1000 * center[1])])
        after = sorted(zip([name, *class_names[:4]], rng.dirichlet(np.ones(5)).tolist()),
                       key=lambda pair: -pair[1])
        before_after(after, name, (t("adversarial_patch.before"), t("adversarial_patch.after")))
    with picture:
        # The twin's one piece of work: pasting the ready patch where the visitor clicked
        # (well under a millisecond), so that the photo changes like the real one.
        patch = sized_patch(name, round(2 * math.sqrt(coverage * 448 * 448 / math.pi)))
        shown = display.copy()
        shown.paste(patch, (round(center[0] * 448 - patch.width / 2),
                            round(center[1] * 448 - patch.height / 2)), patch)
        streamlit_image_coordinates(np.asarray(shown), key=CLICK_KEY, image_format="JPEG",
                                    jpeg_quality=90, use_column_width="always",
                                    cursor="crosshair")
        st.caption(t("adversarial_patch.click_hint", x=center[0], y=center[1]))


@st.fragment
def perturbation_tab(shown: list[bytes]) -> None:
    controls, pictures_column = st.columns([2, 5], gap="medium")
    with controls:
        methods = {m: t(f"adversarial_patch.method_{m}") for m in ("fgsm", "pgd")}
        st.radio(t("adversarial_patch.method"), list(methods), key="adversarial_patch.method",
                 format_func=methods.__getitem__)
        st.slider(t("adversarial_patch.epsilon"), 0, 16, 2, key="adversarial_patch.epsilon",
                  help=t("adversarial_patch.epsilon_help"))
        class_picker(t("adversarial_patch.attack_target"), "adversarial_patch.attack_target",
                     ANY_WRONG, extra={ANY_WRONG: t("adversarial_patch.any_wrong")})
    with pictures_column:
        timing_line()
        captions = (t("adversarial_patch.original"), t("adversarial_patch.perturbation"),
                    t("adversarial_patch.adversarial"))
        for column, picture, caption in zip(st.columns(3), shown, captions):
            column.image(picture, caption=caption, width="stretch")
        st.caption(t("adversarial_patch.max_change", change=2.0))
        before_after(BEFORE[::-1], None,
                     (t("adversarial_patch.original"), t("adversarial_patch.adversarial")))


page_header("adversarial_patch")
class_names, patches = fixed_content()
labels = {name: t(f"adversarial_patch.photo_{name}") for name in [*PHOTOS, "upload"]}
choice = st.selectbox(t("adversarial_patch.photo"), list(labels), key="adversarial_patch.photo",
                      format_func=labels.__getitem__)
display, perturbation_pictures = pictures(choice)
patch_tab_, perturbation_tab_ = st.tabs([t("adversarial_patch.tab_patch"),
                                         t("adversarial_patch.tab_perturbation")])
with patch_tab_:
    patch_tab(display)
with perturbation_tab_:
    perturbation_tab(perturbation_pictures)
with patch_tab_:  # the training section, as on the real page
    st.subheader(t("adversarial_patch.train_title"))
    st.caption(t("adversarial_patch.train_hint", steps=60))
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    with left:
        class_picker(t("adversarial_patch.target"), "adversarial_patch.train_target",
                     class_names.index("banana"))
    right.button(t("adversarial_patch.train_start"), key="adversarial_patch.train_start",
                 icon="🏋️", type="primary")
