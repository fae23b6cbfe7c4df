"""Static twin of app_pages/playground.py (see bench/twins/app.py): the same preset chips,
data and network controls, training buttons, status line, decision surface, loss and
gradient charts and the picture of the network's neurons, as the real page shows them after
"one epoch" on its default configuration (circle data, 200 points, hidden layers 4, 2, tanh).
The pictures are made once; each "one epoch" shows the next of them, one more point on each
curve and the next epoch in the status line, so that the browser redraws like on the real
page."""

import numpy as np
import streamlit as st
from PIL import Image, ImageDraw

from bench.twins.common import page_header
from ui.figures import plotly_chart
from ui.i18n import t
from ui.media import jpeg

# What the twin cannot import from backend.playground (it imports torch), as it is there.
PRESETS = ("linear_separable", "xor_needs_hidden", "vanishing_gradients_sigmoid", "relu_deep",
           "careless_init", "memorize", "small_generalizes")
DATA_CHOICES = ("circle", "xor", "blobs", "spiral", "draw")
ACTIVATIONS = ("relu", "tanh", "sigmoid", "linear")
MAX_LAYERS, NEURONS, HIDDEN = 6, (1, 8), (4, 2)
PLANE, RESOLUTION, POINTS = 1.2, 64, 200
# As on the real page.
PICTURE = 420
NEURON_GAP, LAYER_GAP = 8, 28
COLOURS = ("#f59322", "#0877bd")
LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
L2_PENALTIES = (0.0, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
INIT_SCALES = (0.0, 0.01, 0.1, 0.3, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0)
STATIC_CHART = {"displayModeBar": False, "staticPlot": True}
KEY = "playground."
EPOCH = KEY + "twin_epoch"
VIEWS = 12            # successive epochs cycle through this many prepared pictures
HISTORY_POINTS = 120  # the real page thins its curves to about this many points
QUERY = {"data": "circle", "noise": "0.1", "points": str(POINTS), "test": "0.5", "seed": "0",
         "layers": "4,2", "act": "tanh", "lr": "0.03", "batch": "10", "l2": "0.0",
         "init": "1.0", "compare": "0"}


def _rgb(colour: str) -> np.ndarray:
    return np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)])


def coloured(values: np.ndarray) -> np.ndarray:
    """Values in [-1, 1] as the real page colours them: orange negative, white 0, blue
    positive; uint8 [..., 3]."""
    strength = np.abs(values)[..., None]
    colour = np.where(values[..., None] > 0, _rgb(COLOURS[1]), _rgb(COLOURS[0]))
    return (255 * (1 - strength) + colour * strength).astype(np.uint8)


@st.cache_resource(show_spinner=False)
def fixed_content() -> tuple[list[bytes], list[bytes], np.ndarray]:
    """For each of VIEWS epochs, the decision surface with 200 points (JPEG, 420 px) and the
    picture of the 4 + 2 neurons (JPEG); and a run's loss and gradient numbers [500, 5]."""
    rng = np.random.default_rng(0)
    labels = np.repeat([0, 1], POINTS // 2)
    radius = np.where(labels == 1, rng.uniform(0, 0.5, POINTS), rng.uniform(0.7, 1, POINTS))
    angle = rng.uniform(0, 2 * np.pi, POINTS)
    xy = radius[:, None] * np.stack([np.cos(angle), np.sin(angle)], 1) + rng.normal(
        0, 0.1, (POINTS, 2))
    scale = 2  # the points as the real page draws them: rims, at twice the size, shrunk
    points = Image.new("RGBA", (PICTURE * scale, PICTURE * scale))
    draw = ImageDraw.Draw(points)
    pixels = (np.clip(xy, -PLANE, PLANE) / PLANE + 1) / 2 * PICTURE * scale
    for index, ((x, y), label) in enumerate(zip(pixels, labels)):
        y = PICTURE * scale - y
        for size, colour in ((6 * scale, "#ffffff" if index % 2 else "#222222"),
                             (4.3 * scale, COLOURS[label])):
            draw.ellipse((x - size, y - size, x + size, y + size), fill=colour)
    points = points.resize((PICTURE, PICTURE), Image.BOX)

    axis = np.linspace(-PLANE, PLANE, RESOLUTION)
    xs, ys = np.meshgrid(axis, axis[::-1])
    surfaces, networks = [], []
    for view in range(VIEWS):
        sharpness = 1 + view
        probability = 1 / (1 + np.exp(-sharpness * (0.6 - np.hypot(xs, ys))))
        surface = Image.fromarray(coloured((2 * probability - 1) * 0.65)).resize(
            (PICTURE, PICTURE), Image.BILINEAR).convert("RGBA")
        surfaces.append(jpeg(Image.alpha_composite(surface, points).convert("RGB")))
        tiles = [np.tanh(sharpness * (np.cos(k) * xs + np.sin(k) * ys + 0.2 * k - 0.3))
                 for k in range(sum(HIDDEN))]
        networks.append(jpeg(network_picture([np.stack(tiles[:HIDDEN[0]]),
                                              np.stack(tiles[HIDDEN[0]:])])))
    epochs = np.arange(500)
    curves = np.stack([0.69 * np.exp(-epochs / 60) + 0.05,                 # training loss
                       0.70 * np.exp(-epochs / 70) + 0.08,                 # test loss
                       *(0.05 * 10.0 ** -layer * np.exp(-epochs / 90) + 1e-4
                         for layer in range(3))], 1)                     # gradients
    return surfaces, networks, curves


def network_picture(layers: list[np.ndarray]) -> np.ndarray:
    """The neurons' pictures laid out like the real page's: a column per layer, centred."""
    side, tallest = layers[0].shape[-1], max(len(layer) for layer in layers)
    height = tallest * (side + NEURON_GAP) - NEURON_GAP
    picture = np.full((height, len(layers) * (side + LAYER_GAP) - LAYER_GAP, 3), 255, np.uint8)
    for column, layer in enumerate(layers):
        top = (height - (len(layer) * (side + NEURON_GAP) - NEURON_GAP)) // 2
        left = column * (side + LAYER_GAP)
        for index, tile in enumerate(coloured(layer)):
            row = top + index * (side + NEURON_GAP)
            picture[row:row + side, left:left + side] = tile
            picture[[row, row + side - 1], left:left + side] = 190
            picture[row:row + side, [left, left + side - 1]] = 190
    return picture


def chart(title: str, lines: list[dict], **layout: dict) -> None:
    plotly_chart({"data": lines, "layout": {
        "height": 260, "margin": {"l": 10, "r": 10, "t": 30, "b": 10},
        "title": {"text": title, "font": {"size": 15}},
        "xaxis": {"title": {"text": t("playground.epoch")}},
        "legend": {"orientation": "h", "y": -0.35}, **layout}}, config=STATIC_CHART)


def data_controls() -> None:
    st.subheader(t("playground.data"))
    st.segmented_control(t("playground.data_kind"), DATA_CHOICES, default="circle",
                         key=KEY + "data", format_func=lambda kind: t(f"playground.kind_{kind}"))
    st.slider(t("playground.noise"), 0.0, 0.5, 0.1, step=0.05, key=KEY + "noise")
    st.slider(t("playground.points"), 10, 500, POINTS, step=10, key=KEY + "points")
    st.slider(t("playground.test_fraction"), 0.1, 0.9, 0.5, step=0.1, key=KEY + "test")
    st.button(t("playground.new_data"), key=KEY + "new_data")


def network_controls() -> None:
    st.subheader(t("playground.network"))
    layers = st.slider(t("playground.layers"), 0, MAX_LAYERS, len(HIDDEN), key=KEY + "layers")
    if layers:
        st.caption(t("playground.neurons"))
        for index, column in enumerate(st.columns(layers)):
            column.number_input(t("playground.layer", number=index + 1), *NEURONS,
                                HIDDEN[index] if index < len(HIDDEN) else 4,
                                key=KEY + f"neurons{index}", label_visibility="collapsed")
    st.segmented_control(t("playground.activation"), ACTIVATIONS, default="tanh",
                         key=KEY + "activation")
    st.select_slider(t("playground.learning_rate"), LEARNING_RATES, 0.03, key=KEY + "lr")
    st.slider(t("playground.batch"), 1, 100, 10, key=KEY + "batch")
    st.select_slider(t("playground.l2"), L2_PENALTIES, 0.0, key=KEY + "l2")
    st.select_slider(t("playground.init"), INIT_SCALES, 1.0, key=KEY + "init",
                     help=t("playground.init_help"))
    st.toggle(t("playground.compare"), key=KEY + "compare", help=t("playground.compare_help"))


def one_epoch() -> None:
    st.session_state[EPOCH] = st.session_state.get(EPOCH, 0) + 1


def training_view(epoch: int) -> None:
    """What the real page's fragment shows when it is not playing: no timing line."""
    surfaces, networks, curves = fixed_content()
    now = curves[min(epoch, len(curves) - 1)]
    st.markdown(t("playground.status", epoch=epoch, train_loss=now[0], test_loss=now[1],
                  train_accuracy=50 + min(epoch, 50), test_accuracy=48 + min(epoch, 49)))
    with st.columns(2)[0]:
        st.image(surfaces[epoch % VIEWS], width="stretch",
                 caption=t("playground.surface_main", shape=", ".join(map(str, HIDDEN))))
    shown = np.arange(epoch + 1)[-1::-max(1, (epoch + 1) // HISTORY_POINTS)][::-1].tolist()
    history = curves[np.minimum(shown, len(curves) - 1)]
    charts = st.columns(2)
    with charts[0]:
        chart(t("playground.loss_title"), [
            {"type": "scatter", "mode": "lines", "x": shown, "y": history[:, column].tolist(),
             "name": t(f"playground.loss_{split}_main"),
             "line": {"dash": dash, "color": "#333333"}}
            for column, split, dash in ((0, "train", "solid"), (1, "test", "dot"))])
    with charts[1]:
        chart(t("playground.gradient_title"), [
            {"type": "scatter", "mode": "lines", "x": shown, "y": history[:, 2 + layer].tolist(),
             "name": t("playground.gradient_layer", number=layer + 1) if layer < 2
             else t("playground.gradient_output")} for layer in range(3)],
            yaxis={"type": "log", "exponentformat": "power"})
    st.image(networks[epoch % VIEWS], caption=t("playground.neurons_title"))


page_header("playground")
st.pills(t("playground.presets"), PRESETS, key=KEY + "preset",
         format_func=lambda name: t(f"playground.preset_{name}"))
view, controls = st.columns([2, 1], gap="large")
with controls:
    data_controls()
    network_controls()
st.query_params.update(QUERY)  # as the real page, which writes its configuration every run
with view:
    buttons = st.columns(3)
    buttons[0].button(t("playground.play"), key=KEY + "play", type="primary", width="stretch")
    buttons[1].button(t("playground.step"), key=KEY + "step", on_click=one_epoch,
                      width="stretch")
    buttons[2].button(t("playground.reset"), key=KEY + "reset", width="stretch",
                      on_click=lambda: st.session_state.update({EPOCH: 0}))
    st.fragment(training_view)(st.session_state.get(EPOCH, 0))
