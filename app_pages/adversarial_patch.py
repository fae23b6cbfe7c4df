"""Adversarial patch playground: stick a "toaster" patch on a photo, train your own patch,
or fool the classifier with an invisible perturbation (FGSM / PGD)."""

from __future__ import annotations

import functools
import hashlib
import math
import time
from collections.abc import Iterator

import numpy as np
import pandas as pd
import streamlit as st
import torch
from streamlit_image_coordinates import streamlit_image_coordinates

from backend import adversarial_patch as ap
from backend.data.skimage_photos import load_photo
from backend.images import ImageError, load_image
from backend.tensor_images import from_uint8, to_uint8
from ui.common import page_header, timed
from ui.heavy_work import NotCached, run_heavy, stream_heavy
from ui.i18n import t
from ui.loaders import shared_models

DISPLAY_SIZE = 448       # the photo is shown at twice the classifier's 224 pixels
UPLOAD = "upload"
OWN_PATCH = "own"        # the visitor's own patch, kept in session state
ANY_WRONG = -1           # the untargeted attack in the class pickers
ROTATION_STEP = 5        # degrees between the rotation slider's values
OWN_KEY = "adversarial_patch.own"
PHOTO_KEY = "adversarial_patch.photo"
WHICH_KEY = "adversarial_patch.which"
SELECT_OWN_KEY = "adversarial_patch.select_own"  # the next run selects the visitor's own patch
CENTER_KEY = "adversarial_patch.center"          # the patch's centre: (x, y) fractions
CLICK_KEY = "adversarial_patch.click"
# ap.SceneConfig field -> the key of its widget in a tab (the photo's picker is above them)
TAB_WIDGETS = {"patch": WHICH_KEY, "coverage": "adversarial_patch.coverage",
               "rotation": "adversarial_patch.rotation", "method": "adversarial_patch.method",
               "epsilon": "adversarial_patch.epsilon"}
WIDGETS = {"photo": PHOTO_KEY, **TAB_WIDGETS}
SESSION_ONLY = {"photo": UPLOAD, "patch": OWN_PATCH}  # choices no link carries: left out of it
# Guesses of the heavy work's durations on a busy 2-core CPU, for the estimated wait until
# such jobs have finished: 60 training steps (bench/adversarial_patch.py times one) and PGD.
TYPICAL_TRAINING_SECONDS = 110
TYPICAL_PGD_SECONDS = 3


@st.cache_resource(show_spinner=False)
def shipped_patches() -> dict[str, tuple[torch.Tensor, dict]]:
    """target name -> (patch, training record) for every patch in assets/adversarial_patch."""
    return {record["target"]: (patch, record) for patch, record in ap.load_shipped_patches()}


@st.cache_resource(show_spinner=False)
def sample_photo(name: str) -> np.ndarray:
    return load_photo(name)


@st.cache_resource(show_spinner=False)
def held_out_images() -> torch.Tensor:
    return ap.held_out_images()


@st.cache_resource(show_spinner=False)
def training_photos() -> list[torch.Tensor]:
    return ap.training_photos()


def restore_state_from_url() -> None:
    """Once per session: what the URL shows, in the widgets; junk falls back to defaults."""
    state = st.session_state
    if PHOTO_KEY in state:
        return
    scene = ap.SceneConfig.from_query(st.query_params.to_dict())
    state.update({key: getattr(scene, field) for field, key in WIDGETS.items()})
    # The slider offers whole steps only.
    state[TAB_WIDGETS["rotation"]] = ROTATION_STEP * round(scene.rotation / ROTATION_STEP)
    state[CENTER_KEY] = [scene.x, scene.y]


def save_state_to_url() -> None:
    """What the page shows, written to its URL; an upload or the visitor's own patch leaves
    its key out (a link then opens with the default there)."""
    state = st.session_state
    x, y = state[CENTER_KEY]
    query = ap.SceneConfig.validated(**{field: state[key] for field, key in WIDGETS.items()},
                                     x=x, y=y).to_query()
    for field, value in SESSION_ONLY.items():
        if state[WIDGETS[field]] == value:
            key = ap.SceneConfig.QUERY_KEYS[field]
            del query[key]
            st.query_params.pop(key, None)
    st.query_params.update(query)


def choose_photo() -> np.ndarray | None:
    """The photo picker shared by both tabs: a held-out sample or an upload."""
    # Labels looked up now, in this run's language (format_func may be called later).
    labels = {name: t(f"adversarial_patch.photo_{name}") for name in [*ap.PHOTOS, UPLOAD]}
    choice = st.selectbox(t("adversarial_patch.photo"), list(labels), key=PHOTO_KEY,
                          format_func=labels.__getitem__)
    if choice != UPLOAD:
        return sample_photo(choice)
    upload = st.file_uploader(t("adversarial_patch.upload"), key="adversarial_patch.upload",
                              type=["jpg", "jpeg", "png", "webp"])
    st.caption(t("adversarial_patch.upload_not_in_link"))
    if upload is None:
        st.info(t("adversarial_patch.upload_hint"), icon="📷")
        return None
    try:
        return np.asarray(load_image(upload.getvalue()))
    except ImageError as error:
        st.warning(t(error.key, **error.params), icon="⚠️")
        return None


def top5_bars(predictions: list[tuple[int, float]], highlight: int | None) -> None:
    """The top 5 as labelled bars: plain text, so it reads well on a projector and a phone."""
    for index, probability in predictions:
        mark = "🎯 " if index == highlight else ""
        st.progress(probability, text=f"{mark}{ap.CLASS_NAMES[index]} · {probability:.1%}")


def before_after(before: list[tuple[int, float]], after: list[tuple[int, float]],
                 highlight: int | None, titles: tuple[str, str]) -> None:
    for column, predictions, title in zip(st.columns(2), (before, after), titles):
        with column:
            st.markdown(f"**{title}**")
            top5_bars(predictions, highlight)


def class_picker(label: str, key: str, default: int, extra: dict[int, str] | None = None) -> int:
    """A searchable choice among the 1,000 ImageNet classes (and `extra` choices first)."""
    extra = extra or {}
    options = list(extra) + list(range(len(ap.CLASS_NAMES)))
    return st.selectbox(label, options, key=key, index=options.index(default),
                        format_func=lambda i: extra.get(i) or ap.CLASS_NAMES[i])


# --- tab 1: the patch ---------------------------------------------------------------------

def patch_choices() -> dict[str, tuple[torch.Tensor, int, str]]:
    """name -> (patch, target class index, label) of the shipped patches and the own one."""
    choices = {}
    for name, (patch, record) in shipped_patches().items():
        rate = record["metrics"]["held_out_success_rate_at_10_percent"]
        choices[name] = (patch, record["target_index"],
                         t("adversarial_patch.shipped_patch", target=name, rate=rate))
    if (own := st.session_state.get(OWN_KEY)) is not None:
        patch = from_uint8(own["pixels"], channels_first=True)
        target = ap.CLASS_NAMES[own["target"]]
        choices[OWN_PATCH] = (patch, own["target"],
                              t("adversarial_patch.own_patch", target=target))
    return choices


@st.cache_data(show_spinner=False, max_entries=64)
def clean_predictions(photo: np.ndarray) -> list[tuple[int, float]]:
    """The classifier's top 5 for the photo itself, shared by every visitor: each click
    then classifies only the patched photo."""
    model = shared_models("adversarial_patch")
    return ap.classify(model, ap.to_tensor(photo).unsqueeze(0))[0]


# A fragment: a click, a patch or a slider reruns this tab only, not the perturbation tab.
@st.fragment
def patch_tab(photo: np.ndarray) -> None:
    choices = patch_choices()
    # Set before the radio exists: Streamlit refuses a change to a widget already drawn.
    if st.session_state.pop(SELECT_OWN_KEY, False) and OWN_PATCH in choices:
        st.session_state[WHICH_KEY] = OWN_PATCH
    controls, picture, results = st.columns([2, 3, 4], gap="medium")
    with controls:
        name = st.radio(t("adversarial_patch.patch"), list(choices),
                        key=WHICH_KEY, format_func=lambda n: choices[n][2])
        coverage = st.slider(t("adversarial_patch.coverage"), *ap.SceneConfig.COVERAGE,
                             format="%d%%", key=TAB_WIDGETS["coverage"]) / 100
        angle = st.slider(t("adversarial_patch.rotation"), *ap.SceneConfig.ROTATION,
                          step=ROTATION_STEP, format="%d°", key=TAB_WIDGETS["rotation"])
        patch, target, _ = choices[name]
        st.image(ap.patch_rgba(patch), width=96)
    # A click reruns the script with the click already in the widget's state: use it now,
    # before drawing, so one click costs one run.
    if click := st.session_state.get(CLICK_KEY):
        st.session_state[CENTER_KEY] = [click["x"] / click["width"], click["y"] / click["height"]]
    center = st.session_state[CENTER_KEY]
    save_state_to_url()  # a fragment: it reruns alone, so it writes the URL itself
    placement = (torch.tensor([center]), torch.tensor([coverage]),
                 torch.tensor([math.radians(angle)]))
    image = ap.to_tensor(photo).unsqueeze(0)
    with results:
        with timed():
            patched = ap.apply_patch(image, patch, *placement)
            model = shared_models("adversarial_patch")
            before, (after,) = clean_predictions(photo), ap.classify(model, patched)
        before_after(before, after, target,
                     (t("adversarial_patch.before"), t("adversarial_patch.after")))
    with picture:
        # The same placement on a sharper copy, for the eye; the classifier saw `patched`.
        shown = ap.apply_patch(ap.to_tensor(photo, DISPLAY_SIZE).unsqueeze(0), patch, *placement)
        # JPEG: a tenth of the bytes of the component's default uncompressed PNG, per click.
        streamlit_image_coordinates(to_uint8(shown[0], channels_first=True), key=CLICK_KEY,
                                    image_format="JPEG", jpeg_quality=90,
                                    use_column_width="always", cursor="crosshair")
        st.caption(t("adversarial_patch.click_hint", x=center[0], y=center[1]))


def training_steps(target: int) -> Iterator[tuple[ap.TrainingStep, float | None, float]]:
    """The quick patch training (ap.quick_train), as heavy work (this runs in a heavy-work
    thread, not the script thread): per step (state, held-out success in % or None, seconds
    so far)."""
    started = time.perf_counter()
    for state, rate in ap.quick_train(shared_models("adversarial_patch"), target,
                                      training_photos(), held_out_images()):
        yield state, None if rate is None else 100 * rate, time.perf_counter() - started


def train_section() -> None:
    steps = ap.QUICK_TRAINING["steps"]
    st.caption(t("adversarial_patch.train_hint", steps=steps))
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    with left:
        target = class_picker(t("adversarial_patch.target"), "adversarial_patch.train_target",
                              ap.CLASS_NAMES.index("banana"))
    if not right.button(t("adversarial_patch.train_start"), key="adversarial_patch.train_start",
                        icon="🏋️", type="primary"):
        if (own := st.session_state.get(OWN_KEY)) is not None:
            say_what_was_trained(own)
        return
    shown = None  # (progress bar, patch slot, chart slot), drawn when the first step arrives
    rates: list[tuple[int, float]] = []  # (step, held-out success in %)
    finished = False
    # While the training waits in the heavy-work line, its place is shown here instead.
    with stream_heavy("patch_training", functools.partial(training_steps, target),
                      typical_seconds=TYPICAL_TRAINING_SECONDS) as updates:
        for state, rate, seconds in updates:
            if shown is None:
                shown = training_display()
            progress, patch_slot, rate_slot = shown
            if rate is not None:
                rates.append((state.step, rate))
                rate_slot.line_chart(
                    pd.DataFrame(rates, columns=["step", "rate"]).set_index("step"),
                    x_label=t("adversarial_patch.step_axis"),
                    y_label=t("adversarial_patch.success"), height=220)
            patch_slot.image(ap.patch_rgba(state.patch), width=128,
                             caption=t("adversarial_patch.step", step=state.step))
            progress.progress(state.step / steps, text=t(
                "adversarial_patch.train_progress", step=state.step, steps=steps,
                loss=state.loss, seconds=seconds))
            # Kept after every step, so that stopping keeps the patch trained so far.
            st.session_state[OWN_KEY] = {"pixels": to_uint8(state.patch, channels_first=True),
                                         "target": target, "steps": state.step,
                                         "last_rate": rates[-1] if rates else None}
            finished = state.step == steps
    # Otherwise the line was full or the training failed, and its message stays on the page.
    if finished:
        st.rerun()


def training_display():
    """The Stop button, progress bar, live patch and chart slots of a running training."""
    # The patch list is drawn above this section, before training: the run after this one
    # (Stop, any other widget, or the rerun at the end) shows the new patch there, selected.
    st.session_state[SELECT_OWN_KEY] = True
    # Clicking Stop (or any other widget) reruns the script, which stops the training.
    st.button(t("adversarial_patch.train_stop"), key="adversarial_patch.train_stop", icon="⏹️")
    progress = st.progress(0.0)
    picture, chart = st.columns([1, 3])
    return progress, picture.empty(), chart.empty()


def say_what_was_trained(own: dict) -> None:
    message = t("adversarial_patch.train_done", target=ap.CLASS_NAMES[own["target"]],
                steps=own["steps"])
    if own["last_rate"] is not None:  # measured every few steps, so maybe a few steps back
        step, rate = own["last_rate"]
        message += " " + t("adversarial_patch.train_rate", step=step, rate=rate)
    st.success(message, icon="✅")


# --- tab 2: imperceptible perturbations -----------------------------------------------------

def compute_attack(photo: np.ndarray, method: str, epsilon: float, target: int) -> ap.Attack:
    return ap.attack(shared_models("adversarial_patch"), ap.to_tensor(photo).unsqueeze(0),
                     method, epsilon, None if target == ANY_WRONG else target)


@st.cache_data(show_spinner=False, max_entries=64)
def attack(photo: np.ndarray, method: str, epsilon: float, target: int,
           _computed: ap.Attack | None = None) -> ap.Attack:
    """The attack and both top 5s, shared by every visitor. FGSM (one gradient) is computed here.
    PGD (ten) is heavy work: on a miss this raises NotCached, the page computes it in the
    heavy-work line and calls again with the result as `_computed` (the underscore leaves it
    out of the cache key), which stores it."""
    if _computed is not None:
        return _computed
    if method == "pgd":
        raise NotCached
    return compute_attack(photo, method, epsilon, target)


def attacked(photo: np.ndarray, method: str, epsilon: float, target: int) -> ap.Attack | None:
    """The attacked photo from the cache, else computed; None if the heavy-work line could
    not compute it (the visitor has been told why)."""
    try:
        return attack(photo, method, epsilon, target)
    except NotCached:
        pass
    # Visitors asking for the same attack at the same time (a lecture hall) share one job.
    key = ("attack", photo.shape, hashlib.blake2b(photo.tobytes(), digest_size=16).digest(),
           method, epsilon, target)
    computed = run_heavy("pgd", functools.partial(compute_attack, photo, method, epsilon, target),
                         typical_seconds=TYPICAL_PGD_SECONDS, key=key)
    return None if computed is None else attack(photo, method, epsilon, target, computed)


@st.fragment
def perturbation_tab(photo: np.ndarray) -> None:
    controls, pictures = st.columns([2, 5], gap="medium")
    with controls:
        methods = {m: t(f"adversarial_patch.method_{m}") for m in ap.ATTACK_METHODS}
        method = st.radio(t("adversarial_patch.method"), list(methods),
                          key=TAB_WIDGETS["method"], format_func=methods.__getitem__)
        epsilon = st.slider(t("adversarial_patch.epsilon"), *ap.SceneConfig.EPSILON,
                            key=TAB_WIDGETS["epsilon"],
                            help=t("adversarial_patch.epsilon_help")) / 255
        target = class_picker(t("adversarial_patch.attack_target"),
                              "adversarial_patch.attack_target", ANY_WRONG,
                              extra={ANY_WRONG: t("adversarial_patch.any_wrong")})
    save_state_to_url()  # a fragment, as the patch tab
    image = ap.to_tensor(photo).unsqueeze(0)
    with pictures:
        with timed() as timing:
            outcome = attacked(photo, method, epsilon, target)
            if outcome is None:
                timing.shown = False
                return
        adversarial = outcome.adversarial
        amplified, max_change = ap.visible_perturbation(image, adversarial, epsilon)
        captions = (t("adversarial_patch.original"), t("adversarial_patch.perturbation"),
                    t("adversarial_patch.adversarial"))
        for column, picture, caption in zip(st.columns(3), (image, amplified, adversarial),
                                            captions):
            column.image(to_uint8(picture[0], channels_first=True), caption=caption,
                         width="stretch")
        st.caption(t("adversarial_patch.max_change", change=max_change))
        before_after(outcome.before, outcome.after, None if target == ANY_WRONG else target,
                     (t("adversarial_patch.original"), t("adversarial_patch.adversarial")))


page_header("adversarial_patch")
restore_state_from_url()
photo = choose_photo()
patch_tab_, perturbation_tab_, train_tab_ = st.tabs([t("adversarial_patch.tab_patch"),
                                                     t("adversarial_patch.tab_perturbation"),
                                                     t("adversarial_patch.tab_train")])
if photo is not None:
    with patch_tab_:
        patch_tab(photo)
    with perturbation_tab_:
        perturbation_tab(photo)
else:
    # The tabs' widgets are not drawn while an upload is awaited, and Streamlit forgets the
    # value of a widget it did not draw: keep them, for the URL and for when the photo comes.
    for key in TAB_WIDGETS.values():
        st.session_state[key] = st.session_state[key]
    save_state_to_url()
with train_tab_:
    train_section()
