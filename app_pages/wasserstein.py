"""Wasserstein distance and its critic: the exact earth mover's distance, the dual found by a
critic trained live, and a 2-D WGAN whose fakes are pushed along the critic's gradient."""

from __future__ import annotations

import numpy as np
import streamlit as st
from PIL import Image

from streamlit_image_coordinates import streamlit_image_coordinates

from backend import wasserstein as ws
from ui.animation import shared_pace
from ui.common import page_header, timed, visitor_id
from ui.figures import plotly_chart, training_curves
from ui.i18n import t
from ui.loaders import shared_models
from ui.media import jpeg
from ui.plane import PlaneDrawing, blank_plane, diverging_field, new_click

KEY = "wasserstein."
REAL, FAKE, PLAN, ARROW = "#0877bd", "#f59322", "#555555", "#222222"
NEGATIVE, POSITIVE = "#f59322", "#0877bd"   # the critic's low (fake-like) and high values
PICTURE = 440
EXACT_POINTS = 128                           # fakes in the exact W1 shown while training
FIRST_CRITIC_STEPS = 200                     # on disjoint supports, before the generator moves
SPEEDS = (1, 2, 5, 10, 20)                   # critic steps per frame ("slow motion": 1)
POINTS_SLIDER = (20, 400, 10)                # low, high, step; inside ws.PointsConfig.POINTS
PENALTIES = (0.1, 1.0, 3.0, 10.0, 30.0, 100.0)
CLIPS = (0.01, 0.03, 0.1, 0.3, 1.0)                   # steps per animation frame ("slow motion": 1)
ARROW_SCALE, ARROW_LONGEST = 0.25, 0.6       # plane units per unit of gradient, and at most
STATIC_CHART = {"displayModeBar": False, "staticPlot": True}
# Frames of every visitor share a part of the server's core (see ui/animation.py).
FRAME_CPU_SECONDS, ANIMATION_CPU_SHARE, FASTEST_FRAME_SECONDS = 0.12, 0.3, 0.5
PLAYING, TRAINERS, HISTORY, SETUP = (KEY + "playing", KEY + "trainers", KEY + "history",
                                     KEY + "setup")
CONFIGS = (ws.PointsConfig, ws.CriticConfig, ws.GanConfig)
OWN = "own"                                   # the set choice "place your own points"
SET_CHOICES = (*ws.SETS, OWN)
PLACED = KEY + "placed"                       # {"mu": [(x, y), ...], "nu": [...]}


def nearest(value: float, options: tuple[float, ...]) -> float:
    """The option closest to `value` on a log scale (a URL may ask for one in between)."""
    return min(options, key=lambda option: abs(np.log(option) - np.log(max(value, 1e-9))))


def put_in_widgets(points: ws.PointsConfig, critic: ws.CriticConfig, gan: ws.GanConfig) -> None:
    """Set every widget to the given configuration (from the URL or a preset), each value
    moved to the nearest one its widget offers."""
    state = st.session_state
    low, high, step = POINTS_SLIDER
    state[KEY + "set"], state[KEY + "seed"] = points.kind, points.seed
    state[KEY + "points"] = min(max(low + round((points.points - low) / step) * step, low), high)
    state[KEY + "constraint"] = critic.constraint
    state[KEY + "penalty"] = nearest(critic.penalty, PENALTIES)
    state[KEY + "clip"] = nearest(critic.clip, CLIPS)
    state[KEY + "loss"], state[KEY + "n_critic"] = gan.loss, gan.n_critic


def restore_state_from_url() -> None:
    """Once per session: the configuration from the URL; bad values fall back to defaults."""
    if SETUP in st.session_state:
        return
    query = st.query_params.to_dict()
    put_in_widgets(*(config.from_query(query) for config in CONFIGS))
    if query.get("set") == OWN:
        st.session_state[KEY + "set"] = OWN
    st.session_state[PLACED] = {"mu": [], "nu": []}
    st.session_state[SETUP] = None
    st.session_state[KEY + "speed"] = 5


def apply_preset() -> None:
    name = st.session_state[KEY + "preset"]
    if name is not None:
        put_in_widgets(*ws.PRESETS[name])
        st.session_state[PLAYING] = "gan" if name.startswith("disjoint") else "critic"
        st.session_state[KEY + "preset"] = None


def keep_a_choice(key: str, fallback: str) -> None:
    """Button groups unselect when their choice is clicked again; keep a choice instead."""
    if st.session_state[key] is None:
        st.session_state[key] = fallback


def controls() -> tuple[ws.PointsConfig, ws.CriticConfig, ws.GanConfig]:
    state = st.session_state
    st.pills(t("wasserstein.presets"), list(ws.PRESETS), key=KEY + "preset",
             format_func=lambda name: t(f"wasserstein.preset_{name}"), on_change=apply_preset)
    st.select_slider(t("wasserstein.speed"), SPEEDS, key=KEY + "speed",
                     help=t("wasserstein.speed_help"))
    with st.expander(t("wasserstein.settings")):
        columns = st.columns(3)
        with columns[0]:
            st.segmented_control(t("wasserstein.set"), SET_CHOICES, key=KEY + "set",
                                 format_func=lambda kind: t(f"wasserstein.set_{kind}"),
                                 on_change=keep_a_choice, args=(KEY + "set", ws.SETS[0]))
            st.slider(t("wasserstein.points"), *POINTS_SLIDER[:2], step=POINTS_SLIDER[2],
                      key=KEY + "points")
        with columns[1]:
            st.segmented_control(t("wasserstein.constraint"), ws.CONSTRAINTS,
                                 key=KEY + "constraint",
                                 format_func=lambda name: t(f"wasserstein.constraint_{name}"),
                                 on_change=keep_a_choice, args=(KEY + "constraint", "gp"))
            st.select_slider(t("wasserstein.penalty"), PENALTIES, key=KEY + "penalty")
            st.select_slider(t("wasserstein.clip"), CLIPS, key=KEY + "clip")
        with columns[2]:
            st.segmented_control(t("wasserstein.loss"), ws.LOSSES, key=KEY + "loss",
                                 format_func=lambda name: t(f"wasserstein.loss_{name}"),
                                 on_change=keep_a_choice, args=(KEY + "loss", ws.LOSSES[0]))
            st.slider(t("wasserstein.n_critic"), 1, 20, key=KEY + "n_critic")
    configs = (
        ws.PointsConfig.validated(kind=state[KEY + "set"], points=state[KEY + "points"],
                                  seed=state[KEY + "seed"]),
        ws.CriticConfig.validated(constraint=state[KEY + "constraint"],
                                  penalty=state[KEY + "penalty"], clip=state[KEY + "clip"]),
        ws.GanConfig.validated(loss=state[KEY + "loss"], n_critic=state[KEY + "n_critic"]))
    st.query_params.update({key: value for config in configs
                            for key, value in config.to_query().items()} | {
                                "set": state[KEY + "set"]})
    return configs


def own_points_from_click() -> None:
    """A click (or tap) on the plane adds a point to the chosen set."""
    if (point := new_click(KEY + "click", ws.PLANE)) is not None:
        which = st.session_state.get(KEY + "add_to") or "mu"
        placed = st.session_state[PLACED]
        st.session_state[PLACED] = {**placed, which: [*placed[which], point]}


def point_sets(points: ws.PointsConfig, own: bool) -> tuple | None:
    """(μ, ν) of the preset sets or of the visitor's own points; None while one is empty."""
    if not own:
        return ws.make_points(points)
    mu, nu = (ws.placed_points(st.session_state[PLACED][name]) for name in ("mu", "nu"))
    return (mu, nu) if len(mu) and len(nu) else None


@st.cache_data(show_spinner=False, max_entries=64)
def shared_transport(points: ws.PointsConfig) -> tuple[float, bytes]:
    """The preset sets' exact transport, its picture as JPEG: the same for every visitor."""
    distance, picture = exact_transport(*ws.make_points(points))
    return distance, jpeg(picture)


def own_points_picture() -> Image.Image:
    """The visitor's own points so far, on the empty plane."""
    drawing = PlaneDrawing(blank_plane(PICTURE), ws.PLANE)
    for name, colour in (("mu", REAL), ("nu", FAKE)):
        if placed := st.session_state[PLACED][name]:
            drawing.points(np.array(placed), colour, rim="#ffffff")
    return drawing.picture()


def exact_transport(mu, nu) -> tuple[float, Image.Image]:
    """The exact W1 (POT) and the picture of the optimal plan."""
    distance, plan = ws.exact_distance(mu, nu)
    lines = ws.transport_lines(mu, nu, plan)
    widths = 0.6 + 2.5 * lines.masses / lines.masses.max()
    picture = (PlaneDrawing(blank_plane(PICTURE), ws.PLANE)
               .segments(lines.starts, lines.ends, PLAN, widths)
               .points(mu.cpu().numpy(), REAL, rim="#ffffff")
               .points(nu.cpu().numpy(), FAKE, rim="#ffffff")
               .picture())
    return distance, picture


def critic_field(values: np.ndarray, probability: bool) -> object:
    """The critic's values as colour: f scaled by its largest magnitude, or D around 1/2."""
    if probability:
        return diverging_field(2 * values - 1, NEGATIVE, POSITIVE, PICTURE)
    return diverging_field(values / max(float(np.abs(values).max()), 1e-6), NEGATIVE, POSITIVE,
                           PICTURE)


def new_trainer(which: str, sets: tuple, disjoint: bool, critic: ws.CriticConfig,
                gan: ws.GanConfig) -> ws.CriticTrainer | ws.GanTrainer:
    mu, nu = sets
    if which == "critic":
        return ws.CriticTrainer(mu, nu, critic)
    trainer = ws.GanTrainer(mu, critic, gan)
    if disjoint:
        # Arjovsky & Bottou's experiment: the critic first learns to tell the far-apart sets
        # apart. The WGAN critic's push stays about 1; the original GAN's vanishes.
        with pace().frame():  # as long as many frames: it waits its turn like one
            trainer.train_critic(FIRST_CRITIC_STEPS)
    return trainer


def start_training(sets: tuple, disjoint: bool, critic: ws.CriticConfig,
                   gan: ws.GanConfig) -> None:
    st.session_state[TRAINERS] = {which: new_trainer(which, sets, disjoint, critic, gan)
                                  for which in ("critic", "gan")}
    st.session_state[HISTORY] = {"critic": [], "gan": []}


def play(which: str) -> None:
    st.session_state[PLAYING] = which


def pause() -> None:
    st.session_state[PLAYING] = None


def advance(which: str, steps: int) -> None:
    trainer = st.session_state[TRAINERS][which]
    report = trainer.run(steps)
    extra = trainer.exact_distance(EXACT_POINTS) if which == "gan" else None
    st.session_state[HISTORY][which].append((report, extra))


def one_step(which: str) -> None:
    pause()
    advance(which, 1)


def reset(which: str) -> None:
    """Start this tab's training again; the other tab keeps its own."""
    pause()
    st.session_state[TRAINERS][which] = new_trainer(which, *st.session_state[KEY + "start"])
    st.session_state[HISTORY][which] = []


def buttons(which: str) -> None:
    """Play / pause, one step, reset: outside the animated fragment, so that the page reruns
    with the fragment's new pace."""
    playing = st.session_state.get(PLAYING) == which
    columns = st.columns(3)
    columns[0].button(t("wasserstein.pause") if playing else t("wasserstein.play"),
                      key=KEY + f"play_{which}", on_click=pause if playing else play,
                      args=() if playing else (which,), type="primary", width="stretch")
    columns[1].button(t("wasserstein.step"), key=KEY + f"step_{which}", on_click=one_step,
                      args=(which,), width="stretch")
    columns[2].button(t("wasserstein.reset"), key=KEY + f"reset_{which}", on_click=reset,
                      args=(which,), width="stretch")


def pace():
    return shared_pace("wasserstein", FRAME_CPU_SECONDS, ANIMATION_CPU_SHARE,
                       FASTEST_FRAME_SECONDS)


def lines_chart(series: dict[str, tuple[list[float], list[float]]], title: str,
                level: float | None = None, level_name: str = "") -> None:
    plotly_chart(training_curves(series, title, level, level_name), config=STATIC_CHART)


def steps_per_frame(which: str, trainer: ws.CriticTrainer | ws.GanTrainer) -> int:
    """The speed counts critic steps, the costly part, so that a frame of either tab costs
    about the same: a GAN frame makes one generator step per n_critic of them."""
    speed = st.session_state[KEY + "speed"]
    return speed if which == "critic" else max(1, speed // trainer.config.n_critic)


def frame(which: str, exact: float) -> None:
    """One animation frame of the critic's or the GAN's training, one at a time among all
    visitors (the pace's turns)."""
    with pace().frame():
        draw_frame(which, exact)


def draw_frame(which: str, exact: float) -> None:
    trainer = st.session_state[TRAINERS][which]
    playing = st.session_state.get(PLAYING) == which
    if playing:
        pace().frame_interval(visitor_id(), True)  # still animating: counts for the pace
        if trainer.finished:
            pause()
            st.rerun(scope="app")  # stops the frame timer: an abandoned tab costs nothing
    with timed() as timing:
        if playing:
            advance(which, steps_per_frame(which, trainer))
        else:
            timing.shown = False
        history = st.session_state[HISTORY][which]
        picture_column, chart_column = st.columns([1, 1])
        if which == "critic":
            drawing = PlaneDrawing(critic_field(trainer.heatmap(), False), ws.PLANE)
            drawing.points(trainer.mu.cpu().numpy(), REAL, rim="#ffffff")
            drawing.points(trainer.nu.cpu().numpy(), FAKE, rim="#ffffff")
        else:
            gan = trainer.wasserstein
            fakes = trainer.fake_points(256)
            starts, directions = trainer.arrows(n=ws.ARROWS)
            drawing = PlaneDrawing(critic_field(trainer.heatmap(), not gan), ws.PLANE)
            drawing.points(trainer.target.cpu().numpy(), REAL, rim="#ffffff")
            drawing.points(fakes, FAKE, rim="#ffffff")
            drawing.arrows(starts, directions, ARROW, ARROW_SCALE, ARROW_LONGEST)
    with picture_column:
        st.image(jpeg(drawing.picture()), width="stretch",
                 caption=t(f"wasserstein.picture_{which}"))
    with chart_column:
        steps = [report.step for report, _ in history]
        if which == "critic":
            report = trainer.report
            st.markdown(t("wasserstein.dual_status", step=report.step, dual=report.dual,
                          exact=exact, norm=report.gradient_norm))
            lines_chart({t("wasserstein.dual"): (steps, [r.dual for r, _ in history])},
                        t("wasserstein.dual_title"), exact, t("wasserstein.exact"))
            lines_chart({t("wasserstein.gradient_norm"): (
                steps, [r.gradient_norm for r, _ in history])},
                t("wasserstein.gradient_title"), 1.0, t("wasserstein.lipschitz"))
        else:
            report = trainer.report
            push = float(np.linalg.norm(directions, axis=1).mean())
            st.markdown(t("wasserstein.gan_status", step=report.step, value=report.critic_value,
                          push=push))
            lines_chart({t("wasserstein.gan_value"): (steps, [r.critic_value for r, _ in history]),
                         t("wasserstein.gan_exact"): (steps, [e for _, e in history])},
                        t("wasserstein.gan_title"))


def animated(which: str, exact: float) -> None:
    playing = st.session_state.get(PLAYING) == which
    interval = pace().frame_interval(visitor_id(), playing)
    st.fragment(frame, run_every=interval if playing else None)(which, exact)


page_header("wasserstein")
shared_models("wasserstein")
restore_state_from_url()
points_config, critic_config, gan_config = controls()
own = st.session_state[KEY + "set"] == OWN
if own:
    own_points_from_click()
setup = (points_config, critic_config, gan_config, own,
         repr(st.session_state[PLACED]) if own else None)
sets = point_sets(points_config, own)
if st.session_state[SETUP] != setup or TRAINERS not in st.session_state:
    st.session_state[SETUP] = setup
    st.session_state.pop(TRAINERS, None)
    if sets is not None:
        start = (sets, points_config.kind == "disjoint" and not own, critic_config, gan_config)
        st.session_state[KEY + "start"] = start
        start_training(*start)
emd_tab, critic_tab, gan_tab = st.tabs([t("wasserstein.tab_emd"), t("wasserstein.tab_critic"),
                                        t("wasserstein.tab_gan")])
if not own:
    exact, plan_picture = shared_transport(points_config)
else:
    exact, plan_picture = exact_transport(*sets) if sets else (None, own_points_picture())
with emd_tab:
    picture, words = st.columns([1, 1])
    with picture:
        if own:
            st.pills(t("wasserstein.add_to"), ("mu", "nu"), default="mu", key=KEY + "add_to",
                     format_func=lambda name: t(f"wasserstein.add_to_{name}"))
            streamlit_image_coordinates(plan_picture, key=KEY + "click",
                                        use_column_width="always", image_format="JPEG",
                                        jpeg_quality=90, cursor="crosshair")
            st.button(t("wasserstein.clear"), key=KEY + "clear", on_click=lambda: st.session_state
                      .update({PLACED: {"mu": [], "nu": []}}))
        else:
            st.image(plan_picture, width="stretch", caption=t("wasserstein.plan_caption"))
    if exact is None:
        words.info(t("wasserstein.place_hint"), icon="👆")
    else:
        words.metric(t("wasserstein.exact"), f"{exact:.3f}")
    words.markdown(t("wasserstein.emd_text"))
for tab, which in ((critic_tab, "critic"), (gan_tab, "gan")):
    with tab:
        if TRAINERS not in st.session_state:
            st.info(t("wasserstein.place_hint"), icon="👆")
            continue
        buttons(which)
        animated(which, exact)
