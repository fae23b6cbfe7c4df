"""GAN latent walks: samples of a trained WGAN-GP, lerp vs slerp between two of them, the
critic's score along the way, and an animated loop through random points of the latent space."""

import numpy as np
import streamlit as st
import torch

from backend import gan
from backend.tensor_images import to_uint8
from ui.loaders import shared_models
from ui.classroom import presenting
from ui.common import page_header, timed
from ui.figures import interpolation_lines, plotly_chart
from ui.i18n import t
from ui.media import enlarge, gif, png, strip

GRID = 12                 # samples offered as endpoints; grid page `seed` holds seeds seed*12..
FRAMES_PER_ROW = 8        # interpolation frames per image row (readable on a phone)
WALK_FRAMES_PER_LEG = 12
METHODS = ("lerp", "slerp")
STATIC_CHART = {"displayModeBar": False, "staticPlot": True}  # no zoom traps on phones
CHOICES = ("gan.model", "gan.start", "gan.end")  # button groups: clicking the choice unselects it
# URL parameter -> (widget key, default, lowest, highest); the model is checked separately.
URL_NUMBERS = {"seed": ("gan.seed", 0, 0, 9999), "start": ("gan.start", 2, 0, GRID - 1),
               "end": ("gan.end", 5, 0, GRID - 1), "frames": ("gan.frames", 10, 2, 32),
               "walk": ("gan.walk_seed", 0, 0, 9999), "points": ("gan.walk_points", 4, 3, 8)}


def grid_latents_of(seed: int, latent_dim: int) -> torch.Tensor:
    """The latents of grid page `seed`: seeds seed*GRID .. seed*GRID + GRID - 1."""
    return gan.sample_latents(range(seed * GRID, (seed + 1) * GRID), latent_dim)


def pixels_of(images: torch.Tensor) -> np.ndarray:
    """The generator's images as uint8 [B, 28, 28], for PNGs and GIFs."""
    return to_uint8(images, gan.PIXEL_RANGE, channels_first=True)


@st.cache_data(max_entries=128, show_spinner=False)
def sample_grid(name: str, seed: int) -> list[bytes]:
    """The GRID samples of grid page `seed`, each enlarged as a PNG; shared by every visitor."""
    generator = shared_models("gan")[name][0]
    samples = pixels_of(gan.generate(generator, grid_latents_of(seed, generator.latent_dim)))
    return [png(enlarge(image, 4)) for image in samples]


@st.cache_data(max_entries=32, show_spinner=False)
def walk_gif(name: str, walk_seed: int, points: int) -> tuple[bytes, int]:
    """The looping walk as GIF bytes and its frame count; cached because GIF encoding, not
    the generator, is the slow part, and a new model or page of samples reruns everything."""
    generator = shared_models("gan")[name][0]
    first = 1_000_000 + walk_seed * 8  # above every grid seed (at most 9999 * 12 + 11)
    seeds = range(first, first + points)
    path = gan.walk(gan.sample_latents(seeds, generator.latent_dim), WALK_FRAMES_PER_LEG, "slerp")
    frames = pixels_of(gan.generate(generator, path))
    return gif(frames, factor=4, frame_ms=90, bounce=False), len(frames)


def restore_state_from_url() -> None:
    """Fill the widgets from a bookmarked URL once per session; bad values fall back quietly."""
    if "gan.model" in st.session_state:
        return
    model = st.query_params.get("model")
    st.session_state["gan.model"] = model if model in gan.MODELS else gan.MODELS[0]
    for name, (key, default, lowest, highest) in URL_NUMBERS.items():
        try:
            value = int(st.query_params.get(name, default))
        except ValueError:
            value = default
        st.session_state[key] = min(max(value, lowest), highest)
    for key in CHOICES:
        st.session_state[f"{key}.last"] = st.session_state[key]


def save_state_to_url() -> None:
    st.query_params.update({"model": st.session_state["gan.model"]} | {
        name: str(st.session_state[key]) for name, (key, *_) in URL_NUMBERS.items()})


def next_samples() -> None:
    st.session_state["gan.seed"] = (st.session_state["gan.seed"] + 1) % 10000


def next_walk() -> None:
    st.session_state["gan.walk_seed"] = (st.session_state["gan.walk_seed"] + 1) % 10000


def keep_a_choice(key: str) -> None:
    """Button groups unselect when their choice is clicked again; keep that choice instead."""
    if st.session_state[key] is None:
        st.session_state[key] = st.session_state[f"{key}.last"]
    st.session_state[f"{key}.last"] = st.session_state[key]


def endpoint_picker(key: str, label: str) -> int:
    return st.pills(label, range(GRID), key=key, format_func=lambda i: f"#{i + 1}",
                    on_change=keep_a_choice, args=(key,))


def frame_grid(pixels: np.ndarray, gap: int = 4) -> np.ndarray:
    """Frames uint8 [N, 28, 28] as one enlarged image, FRAMES_PER_ROW frames per row; a short
    last row is padded with white so that every frame keeps the same size."""
    rows = [strip(pixels[i:i + FRAMES_PER_ROW]) for i in range(0, len(pixels), FRAMES_PER_ROW)]
    width = rows[0].shape[1]
    padded = [np.pad(row, ((0, gap), (0, width - row.shape[1])), constant_values=255)
              for row in rows]
    return np.asarray(enlarge(np.concatenate(padded)[:-gap], 3))


def critic_figure(scores: dict[str, np.ndarray]) -> dict:
    frames = len(scores["lerp"])
    return interpolation_lines(np.arange(1, frames + 1), scores, {
        "xaxis": {"title": {"text": t("gan.frame")}, "dtick": max(1, frames // 8)},
        "yaxis": {"title": {"text": t("gan.critic_score")}}})


def norm_figure(norms: dict[str, np.ndarray], dim: int) -> dict:
    """||z|| along both paths against the prior's typical norm sqrt(d) (its ±2σ band shaded)."""
    typical, spread = gan.typical_norm(dim, sigmas=2)
    whole_width = {"type": "rect", "xref": "paper", "x0": 0, "x1": 1, "line": {"width": 0}}
    return interpolation_lines(np.linspace(0, 1, len(norms["lerp"])), norms, {
        "shapes": [whole_width | {"y0": typical - spread, "y1": typical + spread,
                                  "fillcolor": "#2ca02c", "opacity": 0.12},
                   {"type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": typical,
                    "y1": typical, "line": {"color": "#2ca02c", "dash": "dash"}}],
        "annotations": [{"xref": "paper", "x": 0, "xanchor": "left", "y": typical + spread,
                         "yanchor": "bottom", "showarrow": False,
                         "text": t("gan.typical_norm", dim=dim, norm=typical)}],
        "xaxis": {"title": {"text": "t"}},
        "yaxis": {"title": {"text": "||z||"}, "rangemode": "tozero"}})


def model_card(record: dict) -> None:
    st.markdown(t("gan.record", steps=record["generator_steps"],
                  critic_steps=record["hyperparameters"]["n_critic"],
                  minutes=record["train_seconds"] / 60))
    if record.get("ema_decay"):
        st.caption(t("gan.ema", decay=record["ema_decay"]))
    frechet = record.get("frechet")
    if frechet is None:  # a checkpoint of a run still in progress
        return
    columns = st.columns(3)
    columns[0].metric(t("gan.frechet_floor"), f"{frechet['train_vs_test_floor']:.1f}")
    columns[1].metric(t("gan.frechet_model"), f"{frechet['generated_vs_test']:.1f}")
    columns[2].metric(t("gan.frechet_ceiling"),
                      f"{frechet['untrained_generator_vs_test_ceiling']:.1f}")
    st.caption(t("gan.frechet_hint", samples=frechet["samples"]))


@st.cache_data(max_entries=512, show_spinner=False)
def interpolations(name: str, seed: int, start: int, end: int,
                   frames: int) -> tuple[dict[str, bytes], dict[str, np.ndarray], dict[str, np.ndarray]]:
    """For each method: the frames as one PNG, the critic's scores and ||z|| along the path.
    Shared by every visitor (a hall picks among the same few endpoints)."""
    generator, critic, _ = shared_models("gan")[name]
    grid_latents = grid_latents_of(seed, generator.latent_dim)
    paths = {method: gan.interpolate(grid_latents[start], grid_latents[end], frames, method)
             for method in METHODS}
    images = gan.generate(generator, torch.cat(list(paths.values())))
    scores = gan.critic_scores(critic, images).cpu().numpy()
    pixels = pixels_of(images)
    return ({method: png(frame_grid(pixels[index * frames:(index + 1) * frames]))
             for index, method in enumerate(METHODS)},
            {method: scores[index * frames:(index + 1) * frames]
             for index, method in enumerate(METHODS)},
            {method: gan.latent_norms(path) for method, path in paths.items()})


def interpolation(latent_dim: int, charts_area=None) -> None:
    """Endpoints, lerp vs slerp, and the critic and ||z|| along both paths (in `charts_area`
    if given, else below the frames)."""
    start_column, end_column = st.columns(2)
    with start_column:
        start = endpoint_picker("gan.start", t("gan.start"))
    with end_column:
        end = endpoint_picker("gan.end", t("gan.end"))
    title_column, frames_column = st.columns(2, vertical_alignment="bottom")
    title_column.subheader(t("gan.interpolation"))
    frames = frames_column.slider(t("gan.frames"), 2, 32, key="gan.frames")
    with timed():
        pictures, scores, norms = interpolations(st.session_state["gan.model"],
                                                 st.session_state["gan.seed"], start, end, frames)
    for method, column in zip(METHODS, st.columns(2, gap="medium")):
        with column:
            st.markdown(f"**{t(f'gan.{method}')}**")
            st.image(pictures[method])
    with charts_area or st.container():
        st.markdown(f"**{t('gan.critic_title')}**")
        plotly_chart(critic_figure(scores), config=STATIC_CHART, key="gan.critic_chart")
        st.caption(t("gan.critic_caption"))
        st.markdown(f"**{t('gan.norms')}**")
        plotly_chart(norm_figure(norms, latent_dim), config=STATIC_CHART, key="gan.norm_chart")
        st.caption(t("gan.norms_hint"))
    save_state_to_url()


def animated_walk() -> None:
    """A looping GIF through random points of the latent space."""
    st.subheader(t("gan.walk"))
    points_column, button_column = st.columns([1, 1], vertical_alignment="bottom")
    points = points_column.slider(t("gan.walk_points"), 3, 8, key="gan.walk_points")
    button_column.button(t("gan.new_walk"), icon="🔀", on_click=next_walk, key="gan.new_walk")
    with timed():
        animation, frame_count = walk_gif(st.session_state["gan.model"],
                                          st.session_state["gan.walk_seed"], points)
    st.image(animation, caption=t("gan.walk_caption", points=points, frames=frame_count),
             width=336)
    st.download_button(t("gan.download"), animation, file_name="gan-walk.gif",
                       mime="image/gif", icon="⬇️", key="gan.download")
    save_state_to_url()


page_header("gan")
restore_state_from_url()
# Each part is a fragment: picking endpoints or a walk reruns only that part, not the sample
# grid. The presenter view shows each part in a tab that fits the projector; there the
# lecturer's page reruns whole, so that the endpoints' run can fill the charts' tab.
presenter = presenting()
if presenter:
    samples_area, charts_area, walk_area = st.tabs(
        [t("gan.samples_tab"), t("gan.charts_tab"), t("gan.walk")])
else:
    samples_area, charts_area, walk_area = st.container(), None, st.container()
with samples_area:
    if not presenter:  # there the tab says it
        st.subheader(t("gan.samples"))
    model_column, seed_column, button_column = st.columns([2, 2, 1], vertical_alignment="bottom")
    model_column.segmented_control(t("gan.model"), gan.MODELS, key="gan.model",
                                   format_func=lambda name: t(f"gan.model_{name}"),
                                   on_change=keep_a_choice, args=("gan.model",))
    generator, _, record = shared_models("gan")[st.session_state["gan.model"]]
    seed_column.number_input(t("gan.seed"), 0, 9999, step=1, key="gan.seed")
    button_column.button(t("gan.new_samples"), icon="🎲", on_click=next_samples, key="gan.new")
    with st.expander(t("gan.model_card")):
        model_card(record)
    with timed():
        samples = sample_grid(st.session_state["gan.model"], st.session_state["gan.seed"])
    st.image(samples, caption=[f"#{i + 1}" for i in range(GRID)])
    # each part keeps the URL up to date
    if presenter:
        interpolation(generator.latent_dim, charts_area)
    else:
        st.fragment(interpolation)(generator.latent_dim)
with walk_area:
    animated_walk() if presenter else st.fragment(animated_walk)()
