"""Fast style transfer: any photo painted in one of 26 built-in styles or like any painting."""

import functools
from typing import NamedTuple

import streamlit as st
from PIL import Image

from backend import style_transfer as stl
from backend.images import ImageError, load_image
from backend.tensor_images import centre_square
from ui.loaders import shared_models
from ui.common import page_header, sections, timed
from ui.heavy_work import NotCached, run_heavy
from ui.i18n import t
from ui.media import jpeg, png

UPLOADED = "uploaded"                 # the visitor's own painting
BUILT_IN, PAINTINGS = list(stl.BUILT_IN), list(stl.PAINTINGS)
UPLOAD_TYPES = ["jpg", "jpeg", "png", "webp"]
THUMBNAIL = 88                        # px, one tile of the style gallery (as shipped)
SIZE_STEP = 64                        # px, the size slider's step (its range: PaintingConfig.SIZE)
HEAVY_SIDE = 512                      # px: bigger paintings are heavy work (see ui/heavy_work.py)
TYPICAL_PAINTING_SECONDS = 4          # a guess for the estimated wait, until paintings finish
KEY = "style_transfer."
SAMPLE, STYLE, MIX, SECOND_STYLE = KEY + "sample", KEY + "style", KEY + "mix", KEY + "second_style"
MIX_AMOUNT, STRENGTH, SIZE = KEY + "mix_amount", KEY + "strength", KEY + "size"


def restore_state_from_url() -> None:
    """Once per session: the settings from the URL; junk falls back to defaults."""
    if STYLE in st.session_state:
        return
    config = stl.PaintingConfig.from_query(st.query_params.to_dict())
    low = stl.PaintingConfig.SIZE[0]  # the size goes to the slider's nearest step
    st.session_state.update({
        SAMPLE: config.sample, STYLE: config.style, MIX: config.mix,
        SECOND_STYLE: config.second_style, MIX_AMOUNT: config.mix_amount,
        STRENGTH: config.strength, SIZE: low + round((config.size - low) / SIZE_STEP) * SIZE_STEP})


@st.cache_resource(show_spinner=False)
def asset(name: str) -> Image.Image:
    return Image.open(stl.ASSET_DIR / f"{name}.jpg").convert("RGB")


@st.cache_resource(show_spinner=False)
def built_in_thumbnails() -> list[bytes]:
    """Each built-in style painted on the same cat (rendered once by the conversion CLI), as
    JPEG bytes: st.image sends bytes as they are, where it would encode pictures every run."""
    strip = Image.open(stl.ASSET_DIR / "style_thumbnails.jpg").convert("RGB")
    side = strip.height
    return [jpeg(strip.crop((i * side, 0, (i + 1) * side, side)))
            for i in range(stl.NUM_STYLES)]


@st.cache_data(max_entries=32, show_spinner=False)
def sample_photo(name: str, side: int) -> tuple[Image.Image, bytes]:
    """A sample photo at `side` px, and as JPEG bytes for the page (shared by every visitor)."""
    photo = stl.resize_longest_side(asset(f"photo_{name}"), side)
    return photo, jpeg(photo)


@st.cache_resource(show_spinner=False)
def preset_vector(name: str):
    return stl.style_vector(shared_models("style_transfer")[1], asset(f"painting_{name}"))


def painting_vector(name: str, uploaded: Image.Image | None):
    if name == UPLOADED:
        return stl.style_vector(shared_models("style_transfer")[1], uploaded)
    return preset_vector(name)


def backend_style(style: str, uploaded: Image.Image | None) -> stl.Style:
    """What stl.paint takes for a style of this page: a built-in style's index, or a
    painting's style vector."""
    return int(style) if style in BUILT_IN else painting_vector(style, uploaded)


def paint(photo: Image.Image, style: str, second: str | None, mix: float, strength: float,
          uploaded_painting: Image.Image | None = None) -> Image.Image:
    """`photo` painted in `style` (mixed with `second` by `mix`) at `strength` (stl.paint)."""
    return stl.paint(shared_models("style_transfer"), photo,
                     backend_style(style, uploaded_painting),
                     None if second is None else backend_style(second, uploaded_painting),
                     mix, strength)


@st.cache_data(max_entries=200, show_spinner=False)
def paint_sample(sample: str, side: int, style: str, second: str | None, mix: float,
                 strength: float, _computed: Image.Image | None = None) -> Image.Image:
    """A sample photo painted in a shipped style, shared by every visitor: a lecture hall
    opening the page gets its default picture painted once, not once per phone (each a
    whole pass of the network). Above HEAVY_SIDE painting is heavy work: on a miss this
    raises NotCached, the page paints it in the heavy-work line and calls again with the
    result as `_computed` (the underscore leaves it out of the cache key), which stores it."""
    if _computed is not None:
        return _computed
    if side > HEAVY_SIDE:
        raise NotCached
    return paint(sample_photo(sample, side)[0], style, second, mix, strength)


class Painting(NamedTuple):
    picture: Image.Image          # full quality, for the download
    shown: Image.Image | bytes    # what the page shows: a shared painting as JPEG bytes


@st.cache_data(max_entries=200, show_spinner=False)
def shown_sample(request: tuple) -> bytes:
    """A shared painting (paint_sample's `request`) as JPEG bytes, encoded once."""
    return jpeg(paint_sample(*request))


def painted(photo: Image.Image, side: int, sample: str | None, style: str, second: str | None,
            mix: float, strength: float,
            uploaded_painting: Image.Image | None) -> Painting | None:
    """`photo` (already resized to `side`) painted: from the shared cache when it is the
    sample photo `sample` in a shipped style; through the heavy-work line when it is big.
    None if the line could not paint it (the visitor has been told why)."""
    compute = functools.partial(paint, photo, style, second, mix, strength, uploaded_painting)
    if sample is None:  # the visitor's own photo or painting: nobody else asks for it
        picture = compute() if side <= HEAVY_SIDE else run_heavy(
            "painting", compute, typical_seconds=TYPICAL_PAINTING_SECONDS)
        return None if picture is None else Painting(picture, picture)
    request = (sample, side, style, second, mix, strength)
    try:
        picture = paint_sample(*request)
    except NotCached:
        # A lecture hall asking for the same big painting at once shares one job.
        picture = run_heavy("painting", compute, typical_seconds=TYPICAL_PAINTING_SECONDS,
                            key=("painting", *request))
        if picture is None:
            return None
        paint_sample(*request, _computed=picture)
    return Painting(picture, shown_sample(request))


def style_label(style: str) -> str:
    if style in BUILT_IN:
        return t("style_transfer.style_number", number=int(style) + 1)
    return t(f"style_transfer.painting_{style}")


def pick_style(label: str, styles: list[str], key: str) -> str:
    """A choice among styles shown by their labels; returns (and keeps in session_state, as
    the URL does) the chosen style's id, which stays the same when the language changes.

    Labels are looked up now, not inside format_func: AppTest calls format_func later,
    outside the script run, where the visitor's language is unknown.
    """
    labels = {s: style_label(s) for s in styles}
    return st.selectbox(label, styles, format_func=labels.__getitem__, key=key)


def read_upload(key: str, label: str) -> Image.Image | None:
    """The uploaded picture, or None; a refused upload shows its reason and counts as none."""
    upload = st.file_uploader(label, type=UPLOAD_TYPES, key=key)
    if upload is None:
        return None
    try:
        return load_image(upload.getvalue())
    except ImageError as error:
        st.warning(t(error.key, **error.params), icon="⚠️")
        return None


page_header("style_transfer")
restore_state_from_url()

painting_tab, gallery_tab = sections(t("style_transfer.painting"), t("style_transfer.gallery"))
controls, results = painting_tab.columns([2, 3], gap="large")
with controls:
    st.subheader(t("style_transfer.photo"))
    # A segmented control unselects when its choice is clicked again: the default photo then.
    sample = st.segmented_control(
        t("style_transfer.sample"), stl.SAMPLE_PHOTOS,
        format_func=lambda name: t(f"style_transfer.sample_{name}"),
        key=SAMPLE) or stl.PaintingConfig.sample
    uploaded_photo = read_upload("style_transfer.photo_upload", t("style_transfer.upload_photo"))
    if uploaded_photo is not None:
        st.caption(t("style_transfer.using_upload"))
        st.caption(t("style_transfer.upload_not_in_link"))

    st.subheader(t("style_transfer.style"))
    uploaded_painting = read_upload("style_transfer.painting_upload",
                                    t("style_transfer.upload_painting"))
    if uploaded_painting is not None:
        st.caption(t("style_transfer.upload_not_in_link"))
    paintings = PAINTINGS + ([UPLOADED] if uploaded_painting is not None else [])
    choices = BUILT_IN + paintings
    if st.session_state[STYLE] not in choices:  # the visitor's painting, just removed
        st.session_state[STYLE] = stl.PaintingConfig.style
    style = pick_style(t("style_transfer.pick_style"), choices, key=STYLE)
    second, mix = None, 0.0
    if st.toggle(t("style_transfer.mix"), key=MIX):
        others = [s for s in (BUILT_IN if style in BUILT_IN else paintings) if s != style]
        if others:
            second = pick_style(t("style_transfer.second_style"), others, key=SECOND_STYLE)
            mix = st.slider(t("style_transfer.mix_amount"), *stl.PaintingConfig.AMOUNT,
                            step=0.05, key=MIX_AMOUNT)
        else:
            st.info(t("style_transfer.mix_needs_two"), icon="🎨")
    if second is None:
        # Streamlit forgets a widget's value after a run that does not show it: keep the
        # hidden mix's, for the URL and for when the visitor mixes again.
        for hidden in (SECOND_STYLE, MIX_AMOUNT):
            st.session_state[hidden] = st.session_state[hidden]
    strength = st.slider(t("style_transfer.strength"), *stl.PaintingConfig.AMOUNT, step=0.05,
                         key=STRENGTH, help=t("style_transfer.strength_help"))
    side = st.slider(t("style_transfer.size"), *stl.PaintingConfig.SIZE, step=SIZE_STEP,
                     key=SIZE)
# Uploads are not valid URL values: the URL falls back to the default style for them.
st.query_params.update(stl.PaintingConfig.validated(
    sample=sample, style=style, mix=st.session_state[MIX],
    second_style=st.session_state[SECOND_STYLE], mix_amount=st.session_state[MIX_AMOUNT],
    strength=strength, size=side).to_query())

if uploaded_photo is None:
    photo, shown_photo = sample_photo(sample, side)
else:
    photo = shown_photo = stl.resize_longest_side(uploaded_photo, side)
with results:
    with timed() as timing:
        shared = uploaded_photo is None and UPLOADED not in (style, second)
        result = painted(photo, side, sample if shared else None, style, second, mix, strength,
                         uploaded_painting)
        timing.shown = result is not None
    before, after = st.columns(2)
    before.image(shown_photo, caption=t("style_transfer.before"), width="stretch")
    if result is not None:
        width, height = result.picture.size
        after.image(result.shown, width="stretch",
                    caption=t("style_transfer.after", width=width, height=height))
        # The PNG is made only if the visitor downloads it, not on every run.
        st.download_button(t("style_transfer.download"), functools.partial(png, result.picture),
                           file_name="stylized.png", mime="image/png", icon="⬇️",
                           on_click="ignore", key="style_transfer.download")

painting_tiles = [centre_square(uploaded_painting if p == UPLOADED else asset(f"painting_{p}"),
                                THUMBNAIL) for p in paintings]
gallery_tab.image(built_in_thumbnails() + painting_tiles,
                  caption=[style_label(s) for s in BUILT_IN + paintings], width=THUMBNAIL)
