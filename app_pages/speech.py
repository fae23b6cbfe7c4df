"""Speech synthesis: English text read aloud by a VITS voice, with the phonemes it read, how
long each sounds, and the mel spectrogram of what it said."""

from __future__ import annotations

import dataclasses
import functools

import numpy as np
import streamlit as st
from plotly.colors import sequential

from backend import speech as sp
from ui.common import page_header, timed
from ui.figures import plotly_chart
from ui.heavy_work import NotCached, run_heavy
from ui.i18n import t
from ui.loaders import shared_models
from ui.media import colour_mapped, png_data_uri

KEY = "speech."
BUSES = "The buses aren't the problem, they actually provide a solution."
BUSES_CAPITALIZED = "The buses aren't the PROBLEM, they actually provide a SOLUTION."
BUSES_EXCLAIMED = "The buses aren't the problem! They actually provide a solution!"
LECTURE_SENTENCES = [BUSES, BUSES_CAPITALIZED,
                     "She earned a doctorate in sociology at Columbia University."]
TEST_SENTENCES = {"Can a variational autoencoder dream up a voice it has never heard?": "question",
                  "On Dec. 2, 2026, Dr. Kim's GPU ran 3.5x faster for $1,200.": "numbers"}
RATES = (0.5, 0.67, 0.8, 1.0, 1.25, 1.5, 2.0)
HEAVY_CHARACTERS = 300              # longer texts are synthesized in the heavy-work line
CHARACTERS_PER_SECOND = 400         # of synthesis on one core: the line's first wait estimate
TEXT, SEED, SPOKEN = KEY + "text", KEY + "seed", KEY + "spoken"


def restore_state_from_url() -> None:
    """Once per session: the text and settings from the URL; junk falls back to defaults."""
    if TEXT in st.session_state:
        return
    query = st.query_params.to_dict()
    settings = sp.VoiceSettings.from_query(query)
    st.session_state[TEXT] = str(query.get("text", BUSES))[:sp.MAX_CHARACTERS]
    st.session_state[KEY + "rate"] = min(RATES, key=lambda r: abs(r - settings.length_scale))
    st.session_state[KEY + "noise_scale"] = settings.noise_scale
    st.session_state[KEY + "noise_w"] = settings.noise_w
    st.session_state[SEED] = settings.seed


def use_preset() -> None:
    """The example list acts as a menu of buttons: copy the choice into the box, then reset."""
    if st.session_state[KEY + "preset"]:
        st.session_state[TEXT] = st.session_state[KEY + "preset"]
    st.session_state[KEY + "preset"] = None


def preset_labels() -> dict[str, str]:
    """Each example sentence with what it is, in the visitor's language."""
    labels = {s: t("speech.preset_lecture", sentence=s) for s in LECTURE_SENTENCES}
    return labels | {s: t("speech.preset_test", sentence=s, what=t(f"speech.what_{what}"))
                     for s, what in TEST_SENTENCES.items()}


def controls() -> tuple[str, sp.VoiceSettings, bool]:
    """The text box, the voice's settings and the three-seed switch, as the visitor set them."""
    state = st.session_state
    labels = preset_labels()
    st.selectbox(t("speech.presets"), list(labels), index=None,
                 key=KEY + "preset", format_func=labels.__getitem__, on_change=use_preset,
                 placeholder=t("speech.presets_placeholder"))
    st.text_area(t("speech.text"), key=TEXT, height=110,
                 help=t("speech.text_help", limit=sp.MAX_CHARACTERS))
    if st.button(t("speech.speak"), type="primary", key=KEY + "speak", width="stretch"):
        state[SPOKEN] = True  # play the result as soon as it is there
    with st.expander(t("speech.settings", rate=state[KEY + "rate"],
                       noise_scale=state[KEY + "noise_scale"], noise_w=state[KEY + "noise_w"]),
                     key=KEY + "voice"):
        st.select_slider(t("speech.rate"), RATES, key=KEY + "rate", help=t("speech.rate_help"),
                         format_func=lambda scale: f"×{scale:g}")
        low, high = sp.VoiceSettings.NOISE
        st.slider(t("speech.latent_noise"), low, high, step=0.05, key=KEY + "noise_scale",
                  help=t("speech.latent_noise_help"))
        st.slider(t("speech.duration_noise"), low, high, step=0.05, key=KEY + "noise_w",
                  help=t("speech.duration_noise_help"))
    seed_column, three_column = st.columns(2, vertical_alignment="bottom")
    seed_column.number_input(t("speech.seed"), *sp.VoiceSettings.SEED, key=SEED,
                             help=t("speech.seed_help"))
    three = three_column.toggle(t("speech.three_times"), key=KEY + "three",
                                help=t("speech.three_times_help"))
    st.caption(t("speech.english_only"))
    settings = sp.VoiceSettings.validated(
        length_scale=state[KEY + "rate"], noise_scale=state[KEY + "noise_scale"],
        noise_w=state[KEY + "noise_w"], seed=state[SEED])
    st.query_params.update(settings.to_query() | {"text": state[TEXT][:sp.MAX_CHARACTERS]})
    return state[TEXT], settings, three


@st.cache_data(max_entries=64, show_spinner=False)
def shared_speech(text: str, settings: sp.VoiceSettings,
                  _computed: sp.Speech | None = None) -> sp.Speech:
    """`text` spoken with `settings`, shared by every visitor: a lecture hall opening the page
    hears the lecture's sentence synthesized once. Long texts are heavy work: on a miss this
    raises NotCached, the page synthesizes in the heavy-work line and calls again with the
    result as `_computed` (the underscore leaves it out of the cache key), which stores it."""
    if _computed is not None:
        return _computed
    if len(text) > HEAVY_CHARACTERS:
        raise NotCached
    return sp.speak(shared_models("speech"), text, settings)


def speech(text: str, settings: sp.VoiceSettings) -> sp.Speech | None:
    """The speech, or None when the heavy-work line could not make it (the visitor was told)."""
    try:
        return shared_speech(text, settings)
    except NotCached:
        made = run_heavy("speech", functools.partial(sp.speak, shared_models("speech"), text,
                                                     settings),
                         typical_seconds=len(text) / CHARACTERS_PER_SECOND,
                         key=("speech", text, settings))
        return None if made is None else shared_speech(text, settings, made)


@st.cache_data(max_entries=64, show_spinner=False)
def wav(text: str, settings: sp.VoiceSettings) -> bytes:
    """The WAV file of a speech already made (shared_speech hits its cache)."""
    return sp.wav_bytes(shared_speech(text, settings))


def prepared_text(text: str) -> sp.PreparedText | None:
    """The text as the voice will read it, with a message for anything left out or cut; None
    (with a message) when there is nothing to say."""
    try:
        prepared = sp.prepare_text(text)
    except sp.SpeechError as error:
        left_out = (t("speech.left_out", characters=error.left_out) if error.left_out else "")
        message = t(error.key, left_out=left_out) if error.key != "speech.empty" else t(error.key)
        st.info(message, icon="✏️")
        return None
    if prepared.left_out:
        st.warning(t("speech.left_out", characters=prepared.left_out), icon="🔤")
    if prepared.cut:
        st.warning(t("speech.cut", limit=sp.MAX_CHARACTERS), icon="✂️")
    return prepared


def phoneme_label(phoneme: str) -> str:
    return "␣" if phoneme == " " else phoneme


@st.cache_data(max_entries=64, show_spinner=False)
def spectrogram_picture(text: str, settings: sp.VoiceSettings) -> str:
    """The mel spectrogram of a speech already made, low bands at the bottom, in magma
    colours (brighter is louder), as a PNG data URI: a picture costs the browser far less
    than a heatmap of as many cells."""
    mel = sp.mel_spectrogram(shared_models("speech"), shared_speech(text, settings))
    return png_data_uri(colour_mapped(1 - mel[::-1] / sp.MEL_FLOOR_DB, sequential.Magma))


def spectrogram_figure(picture: str, timelines: list[tuple[int, sp.Speech]]) -> dict:
    """The first speech's mel spectrogram (a picture) above the phoneme timelines of every
    (seed, speech), one row each, on one time axis; the first row is labelled."""
    seconds = timelines[0][1].seconds
    traces = []
    for row, (seed, speech) in enumerate(timelines):
        timeline = [(phoneme_label(p), start, end) for p, start, end in speech.timeline()]
        hover = [t("speech.phoneme_hover", phoneme=p, ms=1000 * (end - start))
                 for p, start, end in timeline]
        traces.append({
            "type": "bar", "orientation": "h", "yaxis": "y2", "y": [-row] * len(timeline),
            "base": [start for _, start, _ in timeline],
            "x": [end - start for _, start, end in timeline], "width": 0.55,
            "marker": {"color": ["#0877bd", "#f59322"] * (len(timeline) // 2 + 1),
                       "line": {"width": 0}},
            "hovertext": hover, "hoverinfo": "text"})
        if row == 0:  # labels in two staggered lines, so that neighbours do not overlap
            traces.append({
                "type": "scatter", "mode": "text", "yaxis": "y2",
                "x": [(start + end) / 2 for _, start, end in timeline],
                "y": [0.5 if i % 2 else 0.95 for i in range(len(timeline))],
                "text": [p for p, _, _ in timeline], "textfont": {"size": 15},
                "hovertext": hover, "hoverinfo": "text"})
    rows = len(timelines)
    return {"data": traces, "layout": {
        "height": 400 + 40 * (rows - 1), "margin": {"l": 60, "r": 10, "t": 10, "b": 40},
        "showlegend": False, "dragmode": False, "hovermode": "closest",
        "images": [{"source": picture, "xref": "x", "yref": "y", "x": 0, "y": sp.N_MELS,
                    "sizex": seconds, "sizey": sp.N_MELS, "sizing": "stretch",
                    "layer": "below"}],
        "xaxis": {"title": {"text": t("speech.time")}, "anchor": "y2",
                  "range": [0, max(speech.seconds for _, speech in timelines)]},
        "yaxis": {"domain": [0.42, 1], "range": [0, sp.N_MELS], "showgrid": False,
                  "title": {"text": t("speech.mel_band")}},
        "yaxis2": {"domain": [0, 0.38], "range": [-rows + 0.5, 1.2], "fixedrange": True,
                   "tickvals": [-row for row in range(rows)],
                   "ticktext": [t("speech.seed_tick", seed=seed) for seed, _ in timelines]}}}


def three_seeds(settings: sp.VoiceSettings) -> list[sp.VoiceSettings]:
    high = sp.VoiceSettings.SEED[1]
    return [dataclasses.replace(settings, seed=(settings.seed + offset) % (high + 1))
            for offset in range(3)]


def listen(text: str, settings: sp.VoiceSettings, three: bool, main: sp.Speech) -> None:
    """The players (three side by side for three seeds), the download and the speed, the
    phonemes, and the spectrogram above each seed's phoneme durations."""
    autoplay = st.session_state.pop(SPOKEN, False)
    timelines = [(settings.seed, main)]
    if three:
        for column, seeded in zip(st.columns(3), three_seeds(settings)):
            spoken = main if seeded == settings else speech(text, seeded)
            if spoken is None:
                continue
            if seeded != settings:
                timelines.append((seeded.seed, spoken))
            column.audio(wav(text, seeded), format="audio/wav",
                         autoplay=autoplay and seeded == settings)
            column.caption(t("speech.seed_caption", seed=seeded.seed, seconds=spoken.seconds))
    else:
        st.audio(wav(text, settings), format="audio/wav", autoplay=autoplay)
    made_column, download_column = st.columns([3, 1], vertical_alignment="center")
    made_column.markdown(t("speech.made", seconds=main.seconds, made=main.synthesis_seconds,
                           factor=main.seconds / max(main.synthesis_seconds, 1e-6)))
    download_column.download_button(t("speech.download"), wav(text, settings),
                                    file_name="speech.wav", mime="audio/wav",
                                    key=KEY + "download")
    st.markdown(f"**{t('speech.phonemes_heading')}**")
    st.code("".join(main.phonemes).replace("$^", "$  ^"), language=None, wrap_lines=True)
    st.caption(t("speech.phonemes_caption"))
    plotly_chart(spectrogram_figure(spectrogram_picture(text, settings), timelines),
                 config={"displayModeBar": False}, width="stretch", key=KEY + "figure")
    st.caption(t("speech.figure_caption"))


def use_exclamations() -> None:
    st.session_state[TEXT] = BUSES_EXCLAIMED


def capitals(settings: sp.VoiceSettings) -> None:
    """The lecture's two bus sentences with the same seed, and whether they differ at all."""
    st.markdown(t("speech.capitals"))
    pair = {}
    for column, (name, sentence) in zip(st.columns(2), (("plain", BUSES),
                                                        ("capitalized", BUSES_CAPITALIZED))):
        pair[name] = shared_speech(sentence, settings)
        column.markdown(f"**{t(f'speech.{name}')}**: {sentence}")
        column.audio(wav(sentence, settings), format="audio/wav")
    if np.array_equal(pair["plain"].audio, pair["capitalized"].audio):
        samples = f"{len(pair['plain'].audio):,}".replace(",", "\u202f")
        st.success(t("speech.capitals_same", seed=settings.seed, samples=samples), icon="🟰")
    else:
        st.info(t("speech.capitals_different"), icon="≠")
    st.caption(t("speech.capitals_try"))
    st.button(t("speech.try_exclamations"), key=KEY + "exclaim", on_click=use_exclamations)


page_header("speech")
restore_state_from_url()
controls_column, result_column = st.columns([2, 3], gap="large")
with controls_column:
    text, settings, three = controls()
with result_column:
    # Only the open tab runs (on_change="rerun"): the capitals tab's two syntheses are paid
    # only by visitors who look at it.
    listen_tab, capitals_tab = st.tabs([t("speech.tab_hear"), t("speech.tab_capitals")],
                                       key=KEY + "tab", on_change="rerun")
    if listen_tab.open:
        with listen_tab:
            prepared = prepared_text(text)
            main = None
            if prepared is not None:
                with timed(shared_models("speech").device) as timing:
                    main = speech(prepared.text, settings)
                    timing.shown = main is not None
            if main is not None:
                listen(prepared.text, settings, three, main)
    if capitals_tab.open:
        with capitals_tab:
            capitals(settings)
