"""Static twin of app_pages/wasserstein.py (see bench/twins/app.py): the same preset chips,
speed and settings widgets, three tabs (the exact distance with its transport plan; the
critic's buttons, heatmap, status line and two curves; the GAN's buttons, picture, status
line and curves), as the real page shows them after "one step" of the critic on its default
configuration (a blob and the same blob moved by (1, 0), 200 points each). The pictures are
made once (drawn with ui.plane, as the real page draws them: numpy and Pillow only); each
"one step" shows the next heatmap, one more point on the critic's curves and the next step
in its status line, so that the browser redraws like on the real page."""

import numpy as np
import streamlit as st

from bench.twins.common import page_header
from ui.figures import plotly_chart, training_curves
from ui.i18n import t
from ui.media import jpeg
from ui.plane import PlaneDrawing, blank_plane, diverging_field

# What the twin cannot import from backend.wasserstein (it imports torch), as it is there.
PRESETS = ("shifted_blob", "ring_vs_blob", "two_modes_vs_one", "disjoint_wgan", "disjoint_gan",
           "clipping")
SETS = ("shifted_blob", "ring_vs_blob", "two_modes_vs_one", "disjoint")
CONSTRAINTS = ("gp", "clip")
LOSSES = ("wasserstein", "gan", "gan_minimax")
SPAN, RESOLUTION, POINTS, FAKES, ARROWS = 2.0, 64, 200, 256, 64
EXACT = 1.0  # W1 of the blob and its shift by (1, 0)
# As on the real page.
REAL, FAKE, PLAN, ARROW = "#0877bd", "#f59322", "#555555", "#222222"
NEGATIVE, POSITIVE = "#f59322", "#0877bd"
PICTURE = 440
SPEEDS = (1, 2, 5, 10, 20)
PENALTIES = (0.1, 1.0, 3.0, 10.0, 30.0, 100.0)
CLIPS = (0.01, 0.03, 0.1, 0.3, 1.0)
ARROW_SCALE, ARROW_LONGEST = 0.25, 0.6
STATIC_CHART = {"displayModeBar": False, "staticPlot": True}
KEY = "wasserstein."
STEP = KEY + "twin_step"
VIEWS = 12  # successive steps cycle through this many prepared heatmaps
QUERY = {"set": "shifted_blob", "n": str(POINTS), "seed": "0", "lip": "gp", "lam": "10.0",
         "clip": "0.1", "clr": "0.005", "cw": "64", "cl": "2", "batch": "256",
         "loss": "wasserstein", "ncrit": "5", "glr": "0.0005", "gw": "64", "gl": "2"}


@st.cache_resource(show_spinner=False)
def fixed_content() -> tuple[bytes, list[bytes], bytes, np.ndarray]:
    """The transport plan's picture, VIEWS heatmaps of the critic with both point sets, the
    GAN's picture (heatmap, real and fake points, arrows), all JPEG (440 px); and a run's
    dual estimates and mean gradient norms [2000, 2]."""
    rng = np.random.default_rng(0)
    mu = np.clip(rng.normal(0.0, 0.25, (POINTS, 2)) + (-0.5, 0.0), -SPAN, SPAN)
    nu = np.clip(mu + (1.0, 0.0), -SPAN, SPAN)
    plan = (PlaneDrawing(blank_plane(PICTURE), SPAN)
            .segments(nu, mu, PLAN, np.full(POINTS, 3.1))
            .points(mu, REAL, rim="#ffffff").points(nu, FAKE, rim="#ffffff").picture())

    axis = np.linspace(-SPAN, SPAN, RESOLUTION)
    xs, ys = np.meshgrid(axis, axis[::-1])
    heatmaps = []
    for view in range(VIEWS):
        values = np.tanh((0.2 + 0.15 * view) * (-xs + 0.1 * np.sin(ys * (1 + view))))
        field = diverging_field(values / np.abs(values).max(), NEGATIVE, POSITIVE, PICTURE)
        heatmaps.append(jpeg(PlaneDrawing(field, SPAN).points(mu, REAL, rim="#ffffff")
                             .points(nu, FAKE, rim="#ffffff").picture()))

    fakes = rng.normal(0.0, 0.1, (FAKES, 2))
    values = np.tanh(0.3 * (-xs + 0.2 * ys))
    directions = np.tile([[-0.17, 0.0]], (ARROWS, 1)) + rng.normal(0, 0.02, (ARROWS, 2))
    gan = (PlaneDrawing(diverging_field(values / np.abs(values).max(), NEGATIVE, POSITIVE,
                                        PICTURE), SPAN)
           .points(mu, REAL, rim="#ffffff").points(fakes, FAKE, rim="#ffffff")
           .arrows(fakes[:ARROWS], directions, ARROW, ARROW_SCALE, ARROW_LONGEST).picture())

    steps = np.arange(2000)
    curves = np.stack([EXACT * (1 - np.exp(-steps / 40)) - 0.02,     # the dual estimate
                       1 - 0.83 * np.exp(-steps / 30)], 1)             # the mean ‖∇f‖
    return jpeg(plan), heatmaps, jpeg(gan), curves


def lines_chart(series: dict[str, tuple[list[float], list[float]]], title: str,
                level: float | None = None, level_name: str = "") -> None:
    plotly_chart(training_curves(series, title, level, level_name), config=STATIC_CHART)


def controls() -> None:
    st.pills(t("wasserstein.presets"), PRESETS, key=KEY + "preset",
             format_func=lambda name: t(f"wasserstein.preset_{name}"))
    st.select_slider(t("wasserstein.speed"), SPEEDS, 5, key=KEY + "speed",
                     help=t("wasserstein.speed_help"))
    with st.expander(t("wasserstein.settings")):
        columns = st.columns(3)
        with columns[0]:
            st.segmented_control(t("wasserstein.set"), SETS, default="shifted_blob",
                                 key=KEY + "set",
                                 format_func=lambda kind: t(f"wasserstein.set_{kind}"))
            st.slider(t("wasserstein.points"), 20, 400, POINTS, step=10, key=KEY + "points")
        with columns[1]:
            st.segmented_control(t("wasserstein.constraint"), CONSTRAINTS, default="gp",
                                 key=KEY + "constraint",
                                 format_func=lambda name: t(f"wasserstein.constraint_{name}"))
            st.select_slider(t("wasserstein.penalty"), PENALTIES, 10.0, key=KEY + "penalty")
            st.select_slider(t("wasserstein.clip"), CLIPS, 0.1, key=KEY + "clip")
        with columns[2]:
            st.segmented_control(t("wasserstein.loss"), LOSSES, default="wasserstein",
                                 key=KEY + "loss",
                                 format_func=lambda name: t(f"wasserstein.loss_{name}"))
            st.slider(t("wasserstein.n_critic"), 1, 20, 5, key=KEY + "n_critic")
    st.query_params.update(QUERY)  # as the real page, which writes its configuration every run


def one_step() -> None:
    st.session_state[STEP] = st.session_state.get(STEP, 0) + 1


def buttons(which: str, on_step=None, on_reset=None) -> None:
    columns = st.columns(3)
    columns[0].button(t("wasserstein.play"), key=KEY + f"play_{which}", type="primary",
                      width="stretch")
    columns[1].button(t("wasserstein.step"), key=KEY + f"step_{which}", on_click=on_step,
                      width="stretch")
    columns[2].button(t("wasserstein.reset"), key=KEY + f"reset_{which}", on_click=on_reset,
                      width="stretch")


def critic_view(step: int) -> None:
    """What the real page's critic fragment shows when it is not playing: no timing line."""
    _, heatmaps, _, curves = fixed_content()
    picture_column, chart_column = st.columns([1, 1])
    with picture_column:
        st.image(heatmaps[step % VIEWS], width="stretch", caption=t("wasserstein.picture_critic"))
    steps = list(range(1, step + 1))  # one report per "one step"
    history = curves[np.minimum(steps, len(curves) - 1)] if steps else np.zeros((0, 2))
    now = curves[min(step, len(curves) - 1)]
    with chart_column:
        st.markdown(t("wasserstein.dual_status", step=step, dual=now[0], exact=EXACT,
                      norm=now[1]))
        lines_chart({t("wasserstein.dual"): (steps, history[:, 0].tolist())},
                    t("wasserstein.dual_title"), EXACT, t("wasserstein.exact"))
        lines_chart({t("wasserstein.gradient_norm"): (steps, history[:, 1].tolist())},
                    t("wasserstein.gradient_title"), 1.0, t("wasserstein.lipschitz"))


def gan_view() -> None:
    """The GAN's fragment before any generator step."""
    _, _, gan, _ = fixed_content()
    picture_column, chart_column = st.columns([1, 1])
    with picture_column:
        st.image(gan, width="stretch", caption=t("wasserstein.picture_gan"))
    with chart_column:
        st.markdown(t("wasserstein.gan_status", step=0, value=-0.020, push=0.17))
        lines_chart({t("wasserstein.gan_value"): ([], []), t("wasserstein.gan_exact"): ([], [])},
                    t("wasserstein.gan_title"))


page_header("wasserstein")
controls()
plan_picture = fixed_content()[0]
emd_tab, critic_tab, gan_tab = st.tabs([t("wasserstein.tab_emd"), t("wasserstein.tab_critic"),
                                        t("wasserstein.tab_gan")])
with emd_tab:
    picture, words = st.columns([1, 1])
    picture.image(plan_picture, width="stretch", caption=t("wasserstein.plan_caption"))
    words.metric(t("wasserstein.exact"), f"{EXACT:.3f}")
    words.markdown(t("wasserstein.emd_text"))
with critic_tab:
    buttons("critic", on_step=one_step, on_reset=lambda: st.session_state.update({STEP: 0}))
    st.fragment(critic_view)(st.session_state.get(STEP, 0))
with gan_tab:
    buttons("gan")
    st.fragment(gan_view)()
