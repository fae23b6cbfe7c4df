"""Static twin of app_pages/gan.py (see bench/twins/app.py): the same controls, fragments,
pictures and charts, made of held-out MNIST digits; each end sample shows other frames."""

import math

import numpy as np
import streamlit as st

from bench.twins.common import digits, page_header, timing_line
from ui.figures import interpolation_lines, plotly_chart
from ui.i18n import t
from ui.media import enlarge, gif, jpeg, strip

GRID = 12
FRAMES_PER_ROW = 8
METHODS = ("lerp", "slerp")
STATIC_CHART = {"displayModeBar": False, "staticPlot": True}
TYPICAL_NORM = math.sqrt(64)  # the real generator's latents have 64 dimensions


@st.cache_resource(show_spinner=False)
def samples() -> list[bytes]:
    """The sample grid's pictures: 28x28 digits at 4x, like the real page's."""
    return [jpeg(enlarge(digit, 4)) for digit in digits()[::83][:GRID]]  # of every kind


@st.cache_resource(show_spinner=False)
def frame_grids(frames: int) -> list[dict[str, bytes]]:
    """For each end sample, each method's frames as one picture laid out like the real
    page's (FRAMES_PER_ROW digits a row, rows 4 px apart, at 3x); each end shows others."""
    def grid(first: int) -> bytes:
        pictures = digits()[first:first + frames]
        rows = [strip(pictures[i:i + FRAMES_PER_ROW]) for i in range(0, frames, FRAMES_PER_ROW)]
        width = rows[0].shape[1]
        padded = [np.pad(row, ((0, 4), (0, width - row.shape[1])), constant_values=255)
                  for row in rows]
        return jpeg(enlarge(np.concatenate(padded)[:-4], 3))
    return [{method: grid((2 * end + index) * 32) for index, method in enumerate(METHODS)}
            for end in range(GRID)]


@st.cache_resource(show_spinner=False)
def walk_animation() -> bytes:
    """The animated walk: 48 frames of 28x28 at 4x, as the real page's default walk."""
    return gif(digits()[:48], factor=4, frame_ms=90, bounce=False)


@st.fragment
def interpolation() -> None:
    start = st.pills(t("gan.start"), range(GRID), default=2, key="gan.start",
                     format_func=lambda i: f"#{i + 1}")
    end = st.pills(t("gan.end"), range(GRID), default=5, key="gan.end",
                   format_func=lambda i: f"#{i + 1}")
    st.subheader(t("gan.interpolation"))
    frames = st.slider(t("gan.frames"), 2, 32, 10, key="gan.frames")
    timing_line()
    pictures = frame_grids(frames)[end or 0]
    for method, column in zip(METHODS, st.columns(2, gap="medium")):
        with column:
            st.markdown(f"**{t(f'gan.{method}')}**")
            st.image(pictures[method])
    # The chosen samples seed the lines, so that every pick changes the charts.
    rng = np.random.default_rng([start or 0, end or 0])
    scores = {method: rng.normal(size=frames) for method in METHODS}
    st.markdown(f"**{t('gan.critic_title')}**")
    critic = interpolation_lines(np.arange(1, frames + 1), scores, {
        "xaxis": {"title": {"text": t("gan.frame")}},
        "yaxis": {"title": {"text": t("gan.critic_score")}}})
    plotly_chart(critic, config=STATIC_CHART, key="gan.critic_chart")
    st.caption(t("gan.critic_caption"))
    sag = np.sin(np.linspace(0, math.pi, frames)) * rng.uniform(1, 3)
    norms = {"lerp": TYPICAL_NORM - sag, "slerp": TYPICAL_NORM + 0.1 * sag}
    low, high = TYPICAL_NORM - 1.4, TYPICAL_NORM + 1.4  # the prior's band, as on the real chart
    st.markdown(f"**{t('gan.norms')}**")
    norm_chart = interpolation_lines(np.linspace(0, 1, frames), norms, {
        "shapes": [{"type": "rect", "xref": "paper", "x0": 0, "x1": 1, "line": {"width": 0},
                    "y0": low, "y1": high, "fillcolor": "#2ca02c", "opacity": 0.12},
                   {"type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": TYPICAL_NORM,
                    "y1": TYPICAL_NORM, "line": {"color": "#2ca02c", "dash": "dash"}}],
        "annotations": [{"xref": "paper", "x": 0, "xanchor": "left", "y": high,
                         "yanchor": "bottom", "showarrow": False,
                         "text": t("gan.typical_norm", dim=64, norm=TYPICAL_NORM)}],
        "xaxis": {"title": {"text": "t"}},
        "yaxis": {"title": {"text": "||z||"}, "rangemode": "tozero"}})
    plotly_chart(norm_chart, config=STATIC_CHART, key="gan.norm_chart")
    st.caption(t("gan.norms_hint"))
    st.query_params.update(start=str(start), end=str(end), frames=str(frames))  # as the real one


@st.fragment
def animated_walk() -> None:
    st.subheader(t("gan.walk"))
    points_column, button_column = st.columns([1, 1], vertical_alignment="bottom")
    points = points_column.slider(t("gan.walk_points"), 3, 8, 4, key="gan.walk_points")
    button_column.button(t("gan.new_walk"), icon="🔀", key="gan.new_walk")
    timing_line()
    animation = walk_animation()
    st.image(animation, caption=t("gan.walk_caption", points=points, frames=48), width=336)
    st.download_button(t("gan.download"), animation, file_name="gan-walk.gif",
                       mime="image/gif", icon="⬇️", key="gan.download")


page_header("gan")
st.segmented_control(t("gan.model"), ("fashion", "digits"), default="fashion", key="gan.model",
                     format_func=lambda name: t(f"gan.model_{name}"))
with st.expander(t("gan.model_card")):  # the shipped Fashion-MNIST generator's record
    st.markdown(t("gan.record", steps=3901, critic_steps=5, minutes=50))
    for column, label, value in zip(st.columns(3), ("floor", "model", "ceiling"),
                                    ("0.2", "20.1", "727.9")):
        column.metric(t(f"gan.frechet_{label}"), value)
    st.caption(t("gan.frechet_hint", samples=10_000))

st.subheader(t("gan.samples"))
seed_column, button_column = st.columns([1, 1], vertical_alignment="bottom")
seed_column.number_input(t("gan.seed"), 0, 9999, step=1, key="gan.seed")
button_column.button(t("gan.new_samples"), icon="🎲", key="gan.new")
timing_line()
st.image(samples(), caption=[f"#{i + 1}" for i in range(GRID)])
interpolation()
animated_walk()
