"""Draw-a-digit latent explorer: a 2-D VAE's latent space, the decoder, and walks through it."""

import math

import numpy as np
import streamlit as st
import torch
from streamlit_drawable_canvas import st_canvas

from backend import autoencoder as ae
from backend.tensor_images import to_uint8
from ui.loaders import shared_models
from ui.common import page_header, sections, timed
from ui.figures import plotly_chart
from ui.i18n import t
from ui.media import dots_image, enlarge, gif, png_data_uri, strip

DIGIT_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                 "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]
CLICK_STEP = 0.5         # spacing of the invisible points that make every spot clickable
MANIFOLD_SIDE = 15       # decoded tiles per side of the manifold image
PROBE = "autoencoder.probe"  # the point the visitor decodes: None until a click or a slider
LINKED = "autoencoder.linked"  # the digit from the link, until the visitor draws or clears
NEAREST = 10             # held-out digits around a drawn one that the caption counts


@st.cache_resource(show_spinner=False)
def manifold_image(span: float) -> np.ndarray:
    return ae.manifold(shared_models("autoencoder")[0], span=span, points_per_side=MANIFOLD_SIDE)


def map_span(latent_map: ae.LatentMap) -> float:
    """Half-width of the square shown: all held-out digits, and at least the prior's 3 sigma;
    a whole number of CLICK_STEPs, so that clicks and the sliders' steps land on round values."""
    return math.ceil(max(3.0, np.abs(latent_map.latents).max() * 1.05) / CLICK_STEP) * CLICK_STEP


@st.cache_resource(show_spinner=False)
def held_out_dots(span: float) -> str:
    """The 1,000 held-out digits as one background image (a data: URI, ~60 kB). Each drawing
    redraws the map, and the browser draws one picture much faster than 1,000 SVG dots,
    which matters most on a phone."""
    latent_map = shared_models("autoencoder")[1]
    colours = [DIGIT_COLOURS[label] for label in latent_map.labels]
    return png_data_uri(dots_image(latent_map.latents, colours, span))


def latent_map_figure(span: float, drawn: np.ndarray | None, clicked: np.ndarray | None) -> dict:
    """The latent map as a plain plotly dict: the held-out digits as a background image,
    an invisible grid of points that makes every spot clickable, the legend, and markers for
    the drawing and the clicked point."""
    axis = np.arange(-span, span + CLICK_STEP / 2, CLICK_STEP).tolist()
    click_grid = {"type": "scatter", "mode": "markers", "hoverinfo": "none", "showlegend": False,
                  "x": axis * len(axis), "y": [y for y in axis for _ in axis],
                  "marker": {"size": 22, "opacity": 0}}
    legend = [{"type": "scatter", "mode": "markers", "x": [None], "y": [None], "name": str(digit),
               "marker": {"size": 10, "color": DIGIT_COLOURS[digit]}} for digit in range(10)]
    markers = [{"type": "scatter", "mode": "markers+text", "x": [float(point[0])],
                "y": [float(point[1])], "text": [label], "name": label, "hoverinfo": "skip",
                "textposition": "top center", "textfont": {"size": 17, "color": "black"},
                "marker": {"symbol": symbol, "size": 24, "color": "black",
                           "line": {"color": "white", "width": 2}}}
               for point, symbol, label in ((drawn, "star", t("autoencoder.you")),
                                            (clicked, "x", t("autoencoder.clicked")))
               if point is not None]
    # A square plot area showing exactly the clickable square (no range padding).
    axis_style = {"range": [-span, span], "zeroline": False, "constrain": "domain"}
    return {"data": [click_grid, *legend, *markers], "layout": {
        "height": 520, "margin": {"l": 10, "r": 10, "t": 30, "b": 10}, "dragmode": False,
        "clickmode": "event+select",
        "images": [{"source": held_out_dots(span), "xref": "x", "yref": "y", "x": -span,
                    "y": span, "sizex": 2 * span, "sizey": 2 * span, "sizing": "stretch",
                    "layer": "below"}],
        # above the plot: narrow phones keep the map wide; the legend only explains colours
        "legend": {"title": {"text": t("autoencoder.digit")}, "font": {"size": 15},
                   "orientation": "h", "y": 1.02, "yanchor": "bottom", "itemclick": False,
                   "itemdoubleclick": False},
        "xaxis": axis_style | {"title": {"text": "z₁"}},
        "yaxis": axis_style | {"title": {"text": "z₂"}, "scaleanchor": "x"}}}


def restore_state_from_url(span: float) -> None:
    """Once per session: the decoded point (kept on the map), the digit and the walk from
    the URL; junk falls back to defaults."""
    state = st.session_state
    if "autoencoder.z1" in state:
        return
    config = ae.ExplorerConfig.from_query(st.query_params.to_dict())
    probe = None if config.z1 is None else [
        float(np.clip(z, -span, span)) for z in (config.z1, config.z2)]
    state[PROBE] = probe
    state["autoencoder.z1"], state["autoencoder.z2"] = probe or (0.0, 0.0)
    state[LINKED] = ae.digit_from_text(config.digit)
    state["autoencoder.walk_to"], state["autoencoder.frames"] = config.walk_to, config.frames


def save_state_to_url(digit: np.ndarray | None) -> None:
    """What the page shows, written to its URL; no point or no digit leaves its key out."""
    state = st.session_state
    z1, z2 = state[PROBE] or (None, None)
    query = ae.ExplorerConfig.validated(
        z1=z1, z2=z2, digit="" if digit is None else ae.digit_to_text(digit),
        walk_to=state["autoencoder.walk_to"], frames=state["autoencoder.frames"]).to_query()
    for key in set(ae.ExplorerConfig.QUERY_KEYS.values()).difference(query):
        st.query_params.pop(key, None)
    st.query_params.update(query)


def probe_from_click() -> None:
    """A click on the map moves the probe (and its sliders) to the clicked point."""
    points = st.session_state["autoencoder.map"].selection.points
    if points:
        st.session_state["autoencoder.z1"] = points[0]["x"]
        st.session_state["autoencoder.z2"] = points[0]["y"]
        probe_from_sliders()


def probe_from_sliders() -> None:
    st.session_state[PROBE] = [st.session_state["autoencoder.z1"],
                               st.session_state["autoencoder.z2"]]


def probe_sliders(span: float) -> None:
    """Move the probe by hand: precise, keyboard-friendly, and on a phone, where a tap on
    the map does not select a point (plotly sends only a click event for touches)."""
    st.caption(t("autoencoder.probe_hint"))
    for column, axis in zip(st.columns(2), ("z1", "z2")):
        column.slider(t(f"autoencoder.{axis}"), -span, span, step=0.05,
                      key=f"autoencoder.{axis}", on_change=probe_from_sliders)


page_header("autoencoder")
model, latent_map = shared_models("autoencoder")
span = map_span(latent_map)
restore_state_from_url(span)

if "autoencoder.canvas_id" not in st.session_state:
    st.session_state["autoencoder.canvas_id"] = 0

explore_tab, manifold_tab, walk_tab = sections(
    t("autoencoder.explore"), t("autoencoder.manifold"), t("autoencoder.walk"))
draw_column, digit_column, map_column = explore_tab.columns([3, 2, 6], gap="medium")
with draw_column:
    st.subheader(t("autoencoder.draw"))
    canvas = st_canvas(stroke_width=20, stroke_color="#FFFFFF", background_color="#000000",
                       width=280, height=280, drawing_mode="freedraw", return_image_data=True,
                       key=f"autoencoder.canvas.{st.session_state['autoencoder.canvas_id']}")
    if st.button(t("autoencoder.clear"), icon="🧽", key="autoencoder.clear"):
        st.session_state["autoencoder.canvas_id"] += 1
        st.session_state[LINKED] = None
        st.session_state["autoencoder.previous_z"] = st.session_state.get("autoencoder.current_z")
        st.rerun()

digit = None if canvas.image_data is None else ae.preprocess_drawing(canvas.image_data)
if digit is not None:
    st.session_state[LINKED] = None  # a drawing replaces the digit from the link
elif st.session_state[LINKED] is not None:
    digit = st.session_state[LINKED]
    draw_column.caption(t("autoencoder.from_link"))
drawn_z = None
with digit_column:
    if digit is None:
        st.info(t("autoencoder.empty_hint"), icon="✍️")
    else:
        with timed():
            drawn_z = ae.encode(model, torch.from_numpy(digit)[None])[0].numpy()
            reconstruction = to_uint8(ae.decode(model, torch.from_numpy(drawn_z)[None]))[0]
        st.image(enlarge((digit * 255).astype(np.uint8), 5), caption=t("autoencoder.model_sees"),
                 width=140)
        st.image(enlarge(reconstruction, 5), caption=t("autoencoder.reconstruction"), width=140)
        nearest = latent_map.neighbour_counts(drawn_z, NEAREST)
        st.caption(t("autoencoder.position", z1=drawn_z[0], z2=drawn_z[1], digit=nearest[0][0],
                     k=NEAREST, counts=", ".join(f"{n}× {d}" for d, n in nearest)))

with map_column:
    st.subheader(t("autoencoder.map"))
    st.caption(t("autoencoder.map_hint"))
    probe = st.session_state.get(PROBE)
    clicked = None if probe is None else np.array(probe, dtype=np.float32)
    plotly_chart(latent_map_figure(span, drawn_z, clicked), on_select=probe_from_click,
                    selection_mode="points", key="autoencoder.map",
                    config={"displayModeBar": False}, width="stretch")
    probe_sliders(span)

if clicked is not None:
    with digit_column:
        with timed():
            decoded = to_uint8(ae.decode(model, torch.from_numpy(clicked)[None]))[0]
        st.image(enlarge(decoded, 5), width=140,
                 caption=t("autoencoder.decoded_at", z1=clicked[0], z2=clicked[1]))

with manifold_tab:
    st.caption(t("autoencoder.manifold_hint"))
    image = manifold_image(span)
    marker = drawn_z if drawn_z is not None else clicked
    shown = image if marker is None else ae.mark_on_manifold(image, marker, span)
    st.image(shown, width=min(560, shown.shape[1]))

if drawn_z is not None:  # Clear makes it "the previous drawing" (every stroke changes it)
    st.session_state["autoencoder.current_z"] = drawn_z.tolist()

with walk_tab:
    previous_z = st.session_state.get("autoencoder.previous_z")
    # The default target is the farthest class centre (see LatentMap.farthest_centroid).
    targets = {"farthest": t("autoencoder.farthest")}
    targets |= {str(d): t("autoencoder.class_centre", digit=d) for d in range(10)}
    if previous_z is not None:
        targets["previous"] = t("autoencoder.previous")
    start = drawn_z if drawn_z is not None else clicked
    left, right = st.columns(2)
    target = left.selectbox(t("autoencoder.walk_to"), list(targets), key="autoencoder.walk_to",
                            format_func=targets.__getitem__)
    frames = right.slider(t("autoencoder.frames"), *ae.ExplorerConfig.FRAMES,
                          key="autoencoder.frames")
    animate = st.toggle(t("autoencoder.animate"), key="autoencoder.animate")
    if start is None:
        st.info(t("autoencoder.walk_hint"), icon="👆")
    else:
        if target == "previous":
            end = previous_z
        elif target == "farthest":
            end = latent_map.farthest_centroid(start)
        else:
            end = latent_map.centroid(int(target))
        with timed():
            path = ae.walk(torch.from_numpy(start), torch.as_tensor(end, dtype=torch.float32),
                           frames)
            images = to_uint8(ae.decode(model, path))
        if animate:
            st.image(gif(images, factor=5), caption=t("autoencoder.walk_caption"))
        else:
            st.image(enlarge(strip(images), 4), caption=t("autoencoder.walk_caption"))

save_state_to_url(digit)
