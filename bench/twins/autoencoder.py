"""Static twin of app_pages/autoencoder.py (see bench/twins/app.py): the same canvas, map,
sliders, tabs and pictures; each stroke shows other held-out digits and moves the star."""

import functools

import numpy as np
import streamlit as st
from streamlit_drawable_canvas import st_canvas

from bench.twins.common import ST_IMAGE_QUALITY, digits, page_header, timing_line
from ui.figures import plotly_chart
from ui.i18n import t
from ui.media import dots_image, enlarge, jpeg, png_data_uri, strip

DIGIT_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                 "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]
SPAN = 4.0          # the real map's half-width for the shipped VAE (its map_span)
CLICK_STEP = 0.5
PLANE_SIDE = 15     # digits per side of the "whole plane decoded" picture, 28 px each
RED = (230, 30, 30)
VIEWS = 20          # successive strokes cycle through this many prepared views


@st.cache_resource(show_spinner=False)
def fixed_content() -> tuple[str, np.ndarray, bytes, np.ndarray]:
    """The map's background of 1,000 coloured dots (drawn like the real page's), the "whole
    plane decoded" picture (array, and encoded), and latent positions for the views below."""
    rng = np.random.default_rng(0)
    positions = np.clip(rng.normal(size=(VIEWS, 2)) * 1.5, -SPAN + 0.5, SPAN - 0.5)
    dots = png_data_uri(dots_image(rng.normal(size=(1000, 2)) * 1.3,
                                   [DIGIT_COLOURS[i % 10] for i in range(1000)], SPAN))
    tiles = digits()[:PLANE_SIDE ** 2].reshape(PLANE_SIDE, PLANE_SIDE, 28, 28)
    plane = tiles.transpose(0, 2, 1, 3).reshape(PLANE_SIDE * 28, PLANE_SIDE * 28)
    return dots, plane, jpeg(plane, ST_IMAGE_QUALITY), positions


@st.cache_resource(show_spinner=False)
def views(frames: int) -> list[dict]:
    """What successive strokes show, encoded once: a latent position, the two digit
    pictures, the plane with that position marked, and a walk of `frames` digits."""
    _, plane, _, positions = fixed_content()
    encoded = functools.partial(jpeg, quality=ST_IMAGE_QUALITY)  # the real page passes arrays
    return [{"z": z, "digit": encoded(enlarge(digits()[index], 5)),
             "reconstruction": encoded(enlarge(digits()[-1 - index], 5)),
             "plane": encoded(marked_plane(plane, z)),
             "walk": encoded(enlarge(strip(digits()[index * 16:index * 16 + frames]), 4))}
            for index, z in enumerate(positions)]


def latent_map(dots: str, drawn: np.ndarray | None) -> dict:
    """The real map's traces and layout: an invisible click grid, the legend, the star."""
    axis = np.arange(-SPAN, SPAN + CLICK_STEP / 2, CLICK_STEP).tolist()
    data = [{"type": "scatter", "mode": "markers", "hoverinfo": "none", "showlegend": False,
             "x": axis * len(axis), "y": [y for y in axis for _ in axis],
             "marker": {"size": 22, "opacity": 0}}]
    data += [{"type": "scatter", "mode": "markers", "x": [None], "y": [None], "name": str(digit),
              "marker": {"size": 10, "color": DIGIT_COLOURS[digit]}} for digit in range(10)]
    if drawn is not None:
        data.append({"type": "scatter", "mode": "markers+text", "x": [float(drawn[0])],
                     "y": [float(drawn[1])], "text": [t("autoencoder.you")], "hoverinfo": "skip",
                     "name": t("autoencoder.you"), "textposition": "top center",
                     "textfont": {"size": 17, "color": "black"},
                     "marker": {"symbol": "star", "size": 24, "color": "black",
                                "line": {"color": "white", "width": 2}}})
    axis_style = {"range": [-SPAN, SPAN], "zeroline": False, "constrain": "domain"}
    return {"data": data, "layout": {
        "height": 520, "margin": {"l": 10, "r": 10, "t": 30, "b": 10}, "dragmode": False,
        "clickmode": "event+select",
        "images": [{"source": dots, "xref": "x", "yref": "y", "x": -SPAN, "y": SPAN,
                    "sizex": 2 * SPAN, "sizey": 2 * SPAN, "sizing": "stretch", "layer": "below"}],
        "legend": {"title": {"text": t("autoencoder.digit")}, "font": {"size": 15},
                   "orientation": "h", "y": 1.02, "yanchor": "bottom"},
        "xaxis": axis_style | {"title": {"text": "z₁"}},
        "yaxis": axis_style | {"title": {"text": "z₂"}, "scaleanchor": "x"}}}


def marked_plane(plane: np.ndarray, point: np.ndarray) -> np.ndarray:
    """The plane picture with a red frame around the tile at `point` (the real page: a ring)."""
    marked = np.repeat(plane[..., None], 3, axis=2)
    column, row = ((point * [1, -1] + SPAN) / (2 * SPAN) * PLANE_SIDE).astype(int)
    tile = marked[row * 28:(row + 1) * 28, column * 28:(column + 1) * 28]
    tile[:3] = tile[-3:] = tile[:, :3] = tile[:, -3:] = RED
    return marked


page_header("autoencoder")
dots, plane, plane_picture, _ = fixed_content()

draw_column, digit_column, map_column = st.columns([3, 2, 6], gap="medium")
with draw_column:
    st.subheader(t("autoencoder.draw"))
    canvas = st_canvas(stroke_width=20, stroke_color="#FFFFFF", background_color="#000000",
                       width=280, height=280, drawing_mode="freedraw", return_image_data=True,
                       key="autoencoder.canvas.0")
    st.button(t("autoencoder.clear"), icon="🧽", key="autoencoder.clear")

# The number of strokes picks the view, so that every stroke changes the page.
strokes = len((canvas.json_data or {}).get("objects", []))
frames = st.session_state.get("autoencoder.frames", 8)  # the walk's slider, drawn below
view = views(frames)[strokes % VIEWS] if strokes else None
with digit_column:
    if view is None:
        st.info(t("autoencoder.empty_hint"), icon="✍️")
    else:
        timing_line()
        st.image(view["digit"], caption=t("autoencoder.model_sees"), width=140)
        st.image(view["reconstruction"], caption=t("autoencoder.reconstruction"), width=140)
        st.caption(t("autoencoder.position", z1=view["z"][0], z2=view["z"][1],
                     digit=strokes % 10))

with map_column:
    st.subheader(t("autoencoder.map"))
    st.caption(t("autoencoder.map_hint"))
    plotly_chart(latent_map(dots, None if view is None else view["z"]), on_select="rerun",
                 selection_mode="points", key="autoencoder.map",
                 config={"displayModeBar": False}, width="stretch")
    st.caption(t("autoencoder.probe_hint"))
    for column, axis in zip(st.columns(2), ("z1", "z2")):
        column.slider(t(f"autoencoder.{axis}"), -SPAN, SPAN, 0.0, step=0.05,
                      key=f"autoencoder.{axis}")

manifold_tab, walk_tab = st.tabs([t("autoencoder.manifold"), t("autoencoder.walk")])
with manifold_tab:
    st.caption(t("autoencoder.manifold_hint"))
    st.image(plane_picture if view is None else view["plane"], width=PLANE_SIDE * 28)

with walk_tab:
    targets = {"farthest": t("autoencoder.farthest")}
    targets |= {str(d): t("autoencoder.class_centre", digit=d) for d in range(10)}
    if strokes > 1:
        targets["previous"] = t("autoencoder.previous")
    left, right = st.columns(2)
    left.selectbox(t("autoencoder.walk_to"), list(targets), key="autoencoder.walk_to",
                   format_func=targets.__getitem__)
    right.slider(t("autoencoder.frames"), 3, 16, 8, key="autoencoder.frames")
    st.toggle(t("autoencoder.animate"), key="autoencoder.animate")
    if view is None:
        st.info(t("autoencoder.walk_hint"), icon="👆")
    else:
        timing_line()
        st.image(view["walk"], caption=t("autoencoder.walk_caption"))
