"""Neural-network playground: pick data and a network, press play, watch it learn."""

from __future__ import annotations

import numpy as np
import streamlit as st
from PIL import Image, ImageDraw
from streamlit_image_coordinates import streamlit_image_coordinates

from backend import playground as pg
from ui.animation import shared_pace
from ui.classroom import presenting
from ui.common import page_header, timed, visitor_id
from ui.figures import plotly_chart
from ui.i18n import t
from ui.loaders import shared_models
from ui.media import dots_image, jpeg
from ui.plane import new_click

# The animation: every visitor's frames share a part of the server's core (ui/animation.py);
# a frame costs about FRAME_CPU_SECONDS, and trains EPOCHS_PER_SECOND for the time it stands
# for, at most MOST_EPOCHS_PER_FRAME (so that a crowded server's frames stay cheap too).
FRAME_CPU_SECONDS = 0.06
ANIMATION_CPU_SHARE = 0.3
FASTEST_FRAME_SECONDS = 0.5
EPOCHS_PER_SECOND = 4
MOST_EPOCHS_PER_FRAME = 6
PICTURE = 420             # px, the decision surface
NEURON_GAP, LAYER_GAP = 8, 28   # px between neurons of a layer, and between layers
HISTORY_POINTS = 120      # points per curve sent to the browser each frame
DRAW = "draw"             # the data choice "draw your own"
DATA_CHOICES = (*pg.KINDS, DRAW)
COLOURS = ("#f59322", "#0877bd")  # label 0, label 1 (TensorFlow Playground's orange, blue)
LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
L2_PENALTIES = (0.0, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
INIT_SCALES = (0.0, 0.01, 0.1, 0.3, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0)
POINTS = (10, 500)        # the points slider's range, inside pg.DataConfig.POINTS
COMPANION = "small_generalizes"   # the small network trained beside the big one on request
PRESET_COMPARES = {"memorize"}    # presets that switch the comparison on

KEY = "playground."
PLAYING, TRAINERS, HISTORY, SETUP = KEY + "playing", KEY + "trainers", KEY + "history", KEY + "setup"
DRAWN, NOTICE = KEY + "drawn", KEY + "notice"


def nearest(options: tuple[float, ...], value: float) -> float:
    """The option closest to `value` (a URL may ask for a learning rate between two)."""
    return min(options, key=lambda option: abs(np.log10(option + 1e-6) - np.log10(value + 1e-6)))


def put_in_widgets(data: pg.DataConfig, network: pg.NetworkConfig, kind: str,
                   compare: bool) -> None:
    """Set every widget to the given configuration (from the URL or a preset)."""
    state = st.session_state
    state[KEY + "data"] = kind
    state[KEY + "noise"] = data.noise
    state[KEY + "points"] = min(max(data.points, POINTS[0]), POINTS[1])
    state[KEY + "test"], state[KEY + "seed"] = data.test_fraction, data.seed
    state[KEY + "layers"] = len(network.hidden)
    for index in range(pg.NetworkConfig.MAX_LAYERS):
        state[KEY + f"neurons{index}"] = (network.hidden[index] if index < len(network.hidden)
                                          else 4)
    state[KEY + "activation"] = network.activation
    state[KEY + "lr"] = nearest(LEARNING_RATES, network.learning_rate)
    state[KEY + "batch"] = network.batch_size
    state[KEY + "l2"] = nearest(L2_PENALTIES, network.l2)
    state[KEY + "init"] = nearest(INIT_SCALES, network.init_scale)
    state[KEY + "compare"] = compare


def restore_state_from_url() -> None:
    """Once per session: the configuration from the URL; bad values fall back to defaults."""
    if SETUP in st.session_state:
        return
    query = st.query_params.to_dict()
    kind = query.get("data", pg.DataConfig.kind)
    put_in_widgets(pg.DataConfig.from_query(query), pg.NetworkConfig.from_query(query),
                   kind if kind in DATA_CHOICES else pg.DataConfig.kind,
                   query.get("compare") == "1")
    st.session_state[SETUP] = None
    st.session_state[DRAWN] = []


def apply_preset() -> None:
    """A preset sets every widget and starts training; the chips then show no choice, since
    the visitor may change any knob afterwards."""
    name = st.session_state[KEY + "preset"]
    if name is None:
        return
    data, network = pg.PRESETS[name]
    put_in_widgets(data, network, data.kind, name in PRESET_COMPARES)
    st.session_state[PLAYING] = True
    st.session_state[NOTICE] = name
    st.session_state[KEY + "preset"] = None


def configuration() -> tuple[pg.DataConfig, pg.NetworkConfig, str, bool]:
    """The widgets' configuration; also written to the URL, so it can be bookmarked."""
    state = st.session_state
    layers = state[KEY + "layers"]
    data = pg.DataConfig.validated(
        kind=state[KEY + "data"], noise=state[KEY + "noise"], points=state[KEY + "points"],
        test_fraction=state[KEY + "test"], seed=state[KEY + "seed"])
    network = pg.NetworkConfig.validated(
        hidden=[state[KEY + f"neurons{i}"] for i in range(layers)] or "0",
        activation=state[KEY + "activation"], learning_rate=state[KEY + "lr"],
        batch_size=state[KEY + "batch"], l2=state[KEY + "l2"], init_scale=state[KEY + "init"])
    kind, compare = state[KEY + "data"], state[KEY + "compare"]
    st.query_params.update({**data.to_query(), **network.to_query(), "data": kind,
                            "compare": "1" if compare else "0"})
    return data, network, kind, compare


def preset_chips() -> None:
    st.pills(t("playground.presets"), list(pg.PRESETS), key=KEY + "preset",
             format_func=lambda name: t(f"playground.preset_{name}"), on_change=apply_preset)


def data_controls() -> None:
    st.subheader(t("playground.data"))
    st.segmented_control(t("playground.data_kind"), DATA_CHOICES, key=KEY + "data",
                         format_func=lambda kind: t(f"playground.kind_{kind}"),
                         on_change=keep_a_choice, args=(KEY + "data", pg.DataConfig.kind))
    if st.session_state[KEY + "data"] == DRAW:
        # Streamlit forgets a widget's value after a run that does not show it: keep the
        # hidden sliders' values, for the configuration and for going back to generated data.
        for hidden in ("noise", "points"):
            st.session_state[KEY + hidden] = st.session_state[KEY + hidden]
        st.segmented_control(t("playground.draw_class"), (0, 1), default=1,
                             key=KEY + "draw_class",
                             format_func=lambda label: t(f"playground.class_{label}"))
        st.button(t("playground.clear"), key=KEY + "clear",
                  on_click=lambda: st.session_state.update({DRAWN: []}))
    else:
        st.slider(t("playground.noise"), 0.0, 0.5, step=0.05, key=KEY + "noise")
        st.slider(t("playground.points"), *POINTS, step=10, key=KEY + "points")
    st.slider(t("playground.test_fraction"), 0.1, 0.9, step=0.1, key=KEY + "test")
    st.button(t("playground.new_data"), key=KEY + "new_data",
              on_click=lambda: st.session_state.update({KEY + "seed": st.session_state[
                  KEY + "seed"] + 1}))


def keep_a_choice(key: str, fallback: object) -> None:
    """Button groups unselect when their choice is clicked again; keep a choice instead."""
    if st.session_state[key] is None:
        st.session_state[key] = fallback


def network_controls() -> None:
    st.subheader(t("playground.network"))
    layers = st.slider(t("playground.layers"), 0, pg.NetworkConfig.MAX_LAYERS, key=KEY + "layers")
    if layers:
        st.caption(t("playground.neurons"))
        for index, column in enumerate(st.columns(layers)):
            column.number_input(t("playground.layer", number=index + 1), *pg.NetworkConfig.NEURONS,
                                key=KEY + f"neurons{index}", label_visibility="collapsed")
    st.segmented_control(t("playground.activation"), pg.ACTIVATIONS, key=KEY + "activation",
                         on_change=keep_a_choice,
                         args=(KEY + "activation", pg.NetworkConfig.activation))
    st.select_slider(t("playground.learning_rate"), LEARNING_RATES, key=KEY + "lr")
    st.slider(t("playground.batch"), 1, 100, key=KEY + "batch")
    st.select_slider(t("playground.l2"), L2_PENALTIES, key=KEY + "l2")
    st.select_slider(t("playground.init"), INIT_SCALES, key=KEY + "init",
                     help=t("playground.init_help"))
    st.toggle(t("playground.compare"), key=KEY + "compare", help=t("playground.compare_help"))


def drawn_points_from_click() -> None:
    """A click (or tap) on the picture adds a point of the chosen class."""
    if (point := new_click(KEY + "click", pg.PLANE)) is not None:
        label = st.session_state.get(KEY + "draw_class")
        st.session_state[DRAWN] = [*st.session_state[DRAWN],
                                   (*point, 1 if label is None else label)]


def make_data(data: pg.DataConfig, kind: str) -> pg.DataSet | None:
    """The data set, or None while a drawing has too few points to train on."""
    if kind != DRAW:
        return pg.make_data(data)
    drawn = st.session_state[DRAWN]
    if len(drawn) < 2:
        return None
    return pg.drawn_data(drawn, data.test_fraction, data.seed)


def start_training(data: pg.DataSet, network: pg.NetworkConfig, compare: bool) -> None:
    trainers = {"main": pg.Trainer(data, network)}
    if compare:
        trainers["small"] = pg.Trainer(data, pg.PRESETS[COMPANION][1])
    st.session_state[TRAINERS] = trainers
    st.session_state[HISTORY] = {name: [trainer.report] for name, trainer in trainers.items()}


def surface_picture(probabilities: np.ndarray, points: Image.Image) -> Image.Image:
    """P(label 1) [R, R] as colour (orange 0, white undecided, blue 1), the points on top."""
    strength = np.abs(2 * probabilities - 1)[..., None] * 0.65
    colour = np.where(probabilities[..., None] > 0.5, np.array(_rgb(COLOURS[1])),
                      np.array(_rgb(COLOURS[0])))
    pixels = (255 * (1 - strength) + colour * strength).astype(np.uint8)
    surface = Image.fromarray(pixels).resize((PICTURE, PICTURE), Image.BILINEAR).convert("RGBA")
    return Image.alpha_composite(surface, points).convert("RGB")


def points_picture(data: pg.DataSet) -> Image.Image:
    """Training points with a white rim, test points with a dark rim, on a clear layer
    (drawn at twice the size and shrunk, for smooth edges)."""
    scale = 2
    picture = Image.new("RGBA", (PICTURE * scale, PICTURE * scale))
    draw = ImageDraw.Draw(picture)
    for xy, labels, rim in ((data.train_x, data.train_y, "#ffffff"),
                            (data.test_x, data.test_y, "#222222")):
        pixels = (xy.numpy() / pg.PLANE + 1) / 2 * PICTURE * scale
        for (x, y), label in zip(pixels, labels.tolist()):
            y = PICTURE * scale - y
            for radius, colour in ((6 * scale, rim), (4.3 * scale, COLOURS[label])):
                draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=colour)
    return picture.resize((PICTURE, PICTURE), Image.BOX)


def blank_picture() -> Image.Image:
    """The empty plane of "draw your own", with its axes."""
    picture = Image.new("RGB", (PICTURE, PICTURE), "white")
    pixels = np.asarray(picture).copy()
    pixels[PICTURE // 2, :] = pixels[:, PICTURE // 2] = 200
    points = st.session_state[DRAWN]
    if points:
        xy = np.array([(x, y) for x, y, _ in points], dtype=np.float32)
        dots = dots_image(xy, [COLOURS[label] for *_, label in points], pg.PLANE, PICTURE,
                          radius=5, opacity=1)
        return Image.alpha_composite(Image.fromarray(pixels).convert("RGBA"), dots).convert("RGB")
    return Image.fromarray(pixels)


def network_picture(layers: list[np.ndarray]) -> np.ndarray:
    """Every hidden neuron's output over the plane, drawn like the network: one column per
    layer, input side on the left. Each neuron [R, R] is scaled to its own largest magnitude:
    blue where it is excited (positive), orange where negative. One picture, so one request
    per animation frame however big the network is."""
    side = layers[0].shape[-1]
    tallest = max(len(layer) for layer in layers)
    height = tallest * (side + NEURON_GAP) - NEURON_GAP
    picture = np.full((height, len(layers) * (side + LAYER_GAP) - LAYER_GAP, 3), 255, np.uint8)
    blue, orange = np.array(_rgb(COLOURS[1])), np.array(_rgb(COLOURS[0]))
    for column, layer in enumerate(layers):
        scale = np.abs(layer).reshape(len(layer), -1).max(axis=1)[:, None, None]
        values = layer / np.maximum(scale, 1e-6)
        strength = np.abs(values)[..., None]
        tiles = 255 * (1 - strength) + np.where(values[..., None] > 0, blue, orange) * strength
        top = (height - (len(layer) * (side + NEURON_GAP) - NEURON_GAP)) // 2  # centred
        left = column * (side + LAYER_GAP)
        for index, tile in enumerate(tiles.astype(np.uint8)):
            row = top + index * (side + NEURON_GAP)
            picture[row:row + side, left:left + side] = tile
            picture[[row, row + side - 1], left:left + side] = 190  # a thin frame: a white
            picture[row:row + side, [left, left + side - 1]] = 190  # neuron stays visible
    return picture


def _rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


def thinned(reports: list[pg.StepReport]) -> list[pg.StepReport]:
    """At most about HISTORY_POINTS reports, evenly spaced, the latest always included: a
    long training's curves stay as cheap to send as a short one's."""
    step = max(1, len(reports) // HISTORY_POINTS)
    return reports[-1::-step][::-1]


def curves_figure(history: dict[str, list[pg.StepReport]]) -> dict:
    """Train and test loss against epochs, for each network being trained."""
    lines = []
    for name, reports in history.items():
        reports = thinned(reports)
        epochs = [report.epoch for report in reports]
        for split, dash in (("train", "solid"), ("test", "dot")):
            lines.append({"type": "scatter", "mode": "lines", "x": epochs,
                          "y": [getattr(report, f"{split}_loss") for report in reports],
                          "name": t(f"playground.loss_{split}_{name}"),
                          "line": {"dash": dash, "color": "#333333" if name == "main"
                                   else "#2ca02c"}})
    return {"data": lines, "layout": {
        "height": 260, "margin": {"l": 10, "r": 10, "t": 30, "b": 10},
        "title": {"text": t("playground.loss_title"), "font": {"size": 15}},
        "xaxis": {"title": {"text": t("playground.epoch")}},
        "legend": {"orientation": "h", "y": -0.35}}}


def gradients_figure(reports: list[pg.StepReport]) -> dict:
    """Each layer's gradient magnitude against epochs, on a log scale: the lecture's
    vanishing gradients show as the input side's lines falling far below the output's."""
    reports = thinned(reports)
    epochs = [report.epoch for report in reports]
    count = len(reports[-1].gradient_magnitudes)
    lines = [{"type": "scatter", "mode": "lines", "x": epochs,
              "y": [max(report.gradient_magnitudes[layer], 1e-12) for report in reports],
              "name": t("playground.gradient_layer", number=layer + 1)
              if layer < count - 1 else t("playground.gradient_output")}
             for layer in range(count)]
    return {"data": lines, "layout": {
        "height": 260, "margin": {"l": 10, "r": 10, "t": 30, "b": 10},
        "title": {"text": t("playground.gradient_title"), "font": {"size": 15}},
        "xaxis": {"title": {"text": t("playground.epoch")}},
        "yaxis": {"type": "log", "exponentformat": "power"},
        "legend": {"orientation": "h", "y": -0.35}}}


def play() -> None:
    st.session_state[PLAYING] = True


def pause() -> None:
    st.session_state[PLAYING] = False


def train(epochs: float) -> None:
    """`epochs` more epochs for each network, within its budget; its report joins the curves."""
    for name, trainer in st.session_state[TRAINERS].items():
        steps = max(1, round(epochs * pg.steps_per_epoch(trainer.data, trainer.config)))
        st.session_state[HISTORY][name].append(trainer.run(steps))


def one_epoch() -> None:
    st.session_state[PLAYING] = False
    train(1)


def reset() -> None:
    st.session_state[PLAYING] = False
    st.session_state.pop(TRAINERS, None)


def training_buttons() -> None:
    """Outside the animated fragment: play and pause change its pace, so the page reruns."""
    ready = TRAINERS in st.session_state
    playing = st.session_state.get(PLAYING, False)
    buttons = st.columns(3)
    buttons[0].button(t("playground.pause") if playing else t("playground.play"),
                      key=KEY + "play", on_click=pause if playing else play, type="primary",
                      width="stretch", disabled=not ready)
    buttons[1].button(t("playground.step"), key=KEY + "step", on_click=one_epoch,
                      width="stretch", disabled=not ready)
    buttons[2].button(t("playground.reset"), key=KEY + "reset", on_click=reset,
                      width="stretch", disabled=not ready)


def clickable(picture: Image.Image) -> None:
    """The picture of "draw your own": a click (or tap) adds a point, and the whole page
    reruns so that training starts again on the new points."""
    streamlit_image_coordinates(picture, key=KEY + "click", use_column_width="always",
                                image_format="JPEG", jpeg_quality=90, cursor="crosshair")


def pace():
    return shared_pace("playground", FRAME_CPU_SECONDS, ANIMATION_CPU_SHARE,
                       FASTEST_FRAME_SECONDS)


def frame_interval(playing: bool) -> float:
    return pace().frame_interval(visitor_id(), playing)


def training_view(points: Image.Image | None, drawing: bool, interval: float) -> None:
    """The part of the page that animates: counters and every picture, one frame at a time
    among all visitors. `interval`: the seconds between frames it was started with."""
    with pace().frame():
        draw_frame(points, drawing, interval)


def draw_frame(points: Image.Image | None, drawing: bool, interval: float) -> None:
    if drawing and st.session_state.get(KEY + "click") not in (None, st.session_state.get(
            KEY + "click.seen")):
        st.rerun(scope="app")  # a new point: new data for the whole page
    trainers: dict[str, pg.Trainer] | None = st.session_state.get(TRAINERS)
    if trainers is None:
        st.info(t("playground.draw_hint"), icon="👆")
        with st.columns(2)[0]:
            clickable(blank_picture())
        return
    playing = st.session_state.get(PLAYING, False)
    if playing:
        frame_interval(True)  # still animating: counts in the pace of those who start now
    with timed() as timing:
        if playing:
            train(min(EPOCHS_PER_SECOND * interval, MOST_EPOCHS_PER_FRAME))
        else:
            timing.shown = False
        pictures = {name: trainer.surfaces() for name, trainer in trainers.items()}
    if playing and all(trainer.finished for trainer in trainers.values()):
        st.session_state[PLAYING] = False
        st.rerun(scope="app")  # stops the frame timer: an abandoned tab costs nothing
    main = trainers["main"]
    report = main.report
    st.markdown(t("playground.status", epoch=report.epoch, train_loss=report.train_loss,
                  test_loss=report.test_loss, train_accuracy=100 * report.train_accuracy,
                  test_accuracy=100 * report.test_accuracy))
    if main.finished:
        st.caption(t("playground.diverged") if report.diverged else
                   t("playground.finished", epochs=pg.MAX_EPOCHS))
    # Half the width each on a screen, all of it on a phone; on a projector, whose height is
    # short, the pictures, the curves and the neurons side by side.
    wide = presenting()
    columns = st.columns(len(pictures) + 2 if wide else 2)
    for column, (name, (output, _)) in zip(columns, pictures.items()):
        with column:
            picture = surface_picture(output, points)
            caption = t(f"playground.surface_{name}",
                        shape=", ".join(map(str, trainers[name].config.hidden)) or "0")
            if drawing and name == "main":
                clickable(picture)
                st.caption(caption)
            else:
                st.image(jpeg(picture), caption=caption, width="stretch")
    charts = [columns[len(pictures)]] * 2 if wide else st.columns(2)
    with charts[0]:
        plotly_chart(curves_figure(st.session_state[HISTORY]),
                     config={"displayModeBar": False, "staticPlot": True})
    with charts[1]:
        plotly_chart(gradients_figure(st.session_state[HISTORY]["main"]),
                     config={"displayModeBar": False, "staticPlot": True})
    if neurons := pictures["main"][1]:
        (columns[-1] if wide else st).image(jpeg(network_picture(neurons)),
                                            caption=t("playground.neurons_title"))


page_header("playground")
shared_models("playground")
restore_state_from_url()
preset_chips()
if presenting():  # the training gets the projector's whole width; the knobs wait in a tab
    view, controls = st.tabs([t("playground.training_tab"), t("playground.settings_tab")])
else:
    view, controls = st.columns([2, 1], gap="large")  # on a phone the pictures come first
with controls:
    data_controls()
    network_controls()
data_config, network_config, kind, compare = configuration()
if kind == DRAW:
    drawn_points_from_click()
setup = (data_config, network_config, kind, compare, tuple(st.session_state[DRAWN]))
if st.session_state[SETUP] != setup or TRAINERS not in st.session_state:
    st.session_state[SETUP] = setup
    dataset = make_data(data_config, kind)
    if dataset is None:
        st.session_state.pop(TRAINERS, None)
        st.session_state[PLAYING] = False
    else:
        start_training(dataset, network_config, compare)
    st.session_state[KEY + "points_picture"] = None if dataset is None else points_picture(dataset)
with view:
    if notice := st.session_state.pop(NOTICE, None):
        st.info(t(f"playground.preset_{notice}_help"), icon="💡")
    training_buttons()
    playing = st.session_state.get(PLAYING, False) and TRAINERS in st.session_state
    interval = frame_interval(playing)
    st.fragment(training_view, run_every=interval if playing else None)(
        st.session_state[KEY + "points_picture"], kind == DRAW, interval)
