"""Static twin of app_pages/speech.py (see bench/twins/app.py): the same controls, players,
phoneme line and spectrogram chart, made of fixed noise; each seed shows other noise."""

import io
import wave

import numpy as np
import streamlit as st
from plotly.colors import sequential

from bench.twins.common import page_header, timing_line
from ui.figures import plotly_chart
from ui.i18n import t
from ui.media import colour_mapped, png_data_uri

KEY = "speech."
BUSES = "The buses aren't the problem, they actually provide a solution."
BUSES_CAPITALIZED = "The buses aren't the PROBLEM, they actually provide a SOLUTION."
RATES = (0.5, 0.67, 0.8, 1.0, 1.25, 1.5, 2.0)
SAMPLE_RATE, HOP, MELS = 22050, 256, 80
SAMPLES = 304 * HOP                   # the lecture sentence's length at the default settings
PHONEMES = "^ðə bˈʌsᵻz ˌɑːɹnt ðə pɹˈɑːbləm, ðeɪ ˈæktʃuːəli pɹəvˈaɪd ɐ səlˈuːʃən.$"


@st.cache_resource(show_spinner=False)
def noise_wav(seed: int) -> bytes:
    """A WAV of quiet noise as long as the real page's speech (16-bit mono, 22 050 Hz)."""
    samples = np.random.default_rng(seed).normal(0, 3000, SAMPLES).astype("<i2")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(SAMPLE_RATE)
        wav.writeframes(samples.tobytes())
    return buffer.getvalue()


@st.cache_resource(show_spinner=False)
def spectrogram_picture(seed: int) -> str:
    """A noise picture of the real spectrogram's size and colours, as a PNG data URI."""
    noise = np.random.default_rng(seed).uniform(0, 1, (MELS, SAMPLES // HOP + 1))
    return png_data_uri(colour_mapped(noise, sequential.Magma))


def figure(rng: np.random.Generator, seed: int) -> dict:
    """The spectrogram picture above a timeline of as many phonemes as the real page's."""
    seconds = SAMPLES / SAMPLE_RATE
    ends = np.sort(rng.uniform(0, seconds, len(PHONEMES) - 1)).tolist() + [seconds]
    starts = [0.0] + ends[:-1]
    return {"data": [
        {"type": "bar", "orientation": "h", "yaxis": "y2", "y": [0] * len(ends), "base": starts,
         "x": [end - start for start, end in zip(starts, ends)], "hovertext": list(PHONEMES)},
        {"type": "scatter", "mode": "text", "yaxis": "y2", "text": list(PHONEMES),
         "x": [(start + end) / 2 for start, end in zip(starts, ends)],
         "y": [0.5 if i % 2 else 0.95 for i in range(len(ends))]}],
        "layout": {"height": 400, "showlegend": False, "dragmode": False,
                   "images": [{"source": spectrogram_picture(seed), "xref": "x", "yref": "y",
                               "x": 0, "y": MELS, "sizex": seconds, "sizey": MELS,
                               "sizing": "stretch", "layer": "below"}],
                   "xaxis": {"title": {"text": t("speech.time")}, "anchor": "y2",
                             "range": [0, seconds]},
                   "yaxis": {"domain": [0.42, 1], "range": [0, MELS],
                             "title": {"text": t("speech.mel_band")}},
                   "yaxis2": {"domain": [0, 0.38], "range": [-0.5, 1.2]}}}


page_header("speech")
st.session_state.setdefault(KEY + "text", BUSES)
controls_column, result_column = st.columns([2, 3], gap="large")
with controls_column:
    st.selectbox(t("speech.presets"), [BUSES, BUSES_CAPITALIZED], index=None, key=KEY + "preset",
                 placeholder=t("speech.presets_placeholder"))
    st.text_area(t("speech.text"), key=KEY + "text", height=110)
    st.button(t("speech.speak"), type="primary", key=KEY + "speak", width="stretch")
    with st.expander(t("speech.settings", rate=1.0, noise_scale=0.667, noise_w=0.8),
                     key=KEY + "voice"):
        st.select_slider(t("speech.rate"), RATES, value=1.0, key=KEY + "rate",
                         format_func=lambda scale: f"×{scale:g}")
        st.slider(t("speech.latent_noise"), 0.0, 1.5, 0.667, step=0.05, key=KEY + "noise_scale")
        st.slider(t("speech.duration_noise"), 0.0, 1.5, 0.8, step=0.05, key=KEY + "noise_w")
    seed_column, three_column = st.columns(2, vertical_alignment="bottom")
    seed = seed_column.number_input(t("speech.seed"), 0, 9999, key=KEY + "seed")
    three_column.toggle(t("speech.three_times"), key=KEY + "three")
    st.caption(t("speech.english_only"))

rng = np.random.default_rng(seed)  # every seed changes what is shown
with result_column:
    listen_tab, capitals_tab = st.tabs([t("speech.tab_hear"), t("speech.tab_capitals")],
                                       key=KEY + "tab", on_change="rerun")
    if listen_tab.open:
        with listen_tab:
            timing_line("cpu (onnxruntime)")
            st.audio(noise_wav(seed), format="audio/wav")
            made_column, download_column = st.columns([3, 1], vertical_alignment="center")
            made_column.markdown(t("speech.made", seconds=SAMPLES / SAMPLE_RATE, made=0.2,
                                   factor=17))
            download_column.download_button(t("speech.download"), noise_wav(seed),
                                            file_name="speech.wav", mime="audio/wav",
                                            key=KEY + "download")
            st.markdown(f"**{t('speech.phonemes_heading')}**")
            st.code(PHONEMES, language=None, wrap_lines=True)
            st.caption(t("speech.phonemes_caption"))
            plotly_chart(figure(rng, seed), config={"displayModeBar": False}, width="stretch",
                         key=KEY + "figure")
            st.caption(t("speech.figure_caption"))
    if capitals_tab.open:
        with capitals_tab:
            st.markdown(t("speech.capitals"))
            for column, sentence in zip(st.columns(2), (BUSES, BUSES_CAPITALIZED)):
                column.markdown(sentence)
                column.audio(noise_wav(seed), format="audio/wav")
            st.success(t("speech.capitals_same", seed=seed, samples=SAMPLES), icon="🟰")
            st.caption(t("speech.capitals_try"))
            st.button(t("speech.try_exclamations"), key=KEY + "exclaim")
