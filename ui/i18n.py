"""The gallery's one translation table, Hungarian and English, and the language switch.

Every visible UI string of every page is looked up here with `t("<page>.<name>")`, so a
missing translation is caught by tests/test_i18n.py instead of by an audience. Words that
are data (the English vocabulary of the word-vector page, ImageNet class names) stay as they
are. Keep each page's strings in its own section to keep merges clean.
"""

from __future__ import annotations

import streamlit as st

LANGUAGES = {"hu": "Magyar", "en": "English"}
DEFAULT_LANGUAGE = "hu"  # the lecture is given in Hungarian
STATE_KEY = "lang"

TEXTS: dict[str, dict[str, str]] = {
    # --- gallery (app.py, home page, shared widgets) ---
    "app.title": {"en": "Deep learning, hands on", "hu": "Deep learning kézzelfoghatóan"},
    "app.language": {"en": "Language", "hu": "Nyelv"},
    "app.home": {"en": "Gallery", "hu": "Galéria"},
    "home.intro": {
        "en": "Interactive demos for the *Deep Learning* lecture (Varga Dániel, Rényi "
              "Institute). Every page runs a real trained network: draw, type, click and "
              "watch what it does.",
        "hu": "Interaktív bemutatók a *Deep Learning* előadáshoz (Varga Dániel, Rényi "
              "Intézet). Minden oldalon valódi, betanított neuronháló fut: rajzolj, gépelj, "
              "kattints, és nézd meg, mit csinál."},
    "home.open": {"en": "Open", "hu": "Megnyitás"},
    "home.offline": {
        "en": "Everything runs on this computer: no internet connection is needed.",
        "hu": "Minden ezen a gépen fut: nem kell hozzá internetkapcsolat."},
    "common.timing": {"en": "⏱ {ms:.0f} ms on {device}", "hu": "⏱ {ms:.0f} ms, eszköz: {device}"},
    "common.about": {"en": "What is going on here?", "hu": "Mi történik itt?"},
    "common.error": {
        "en": "Something went wrong with this step; the rest of the page still works. "
              "Try again or change the input.",
        "hu": "Ez a lépés nem sikerült; az oldal többi része működik. Próbáld újra, vagy "
              "változtass a bemeneten."},
    # --- images (backend/images.py upload errors) ---
    "images.empty": {"en": "The uploaded file is empty.", "hu": "A feltöltött fájl üres."},
    "images.not_an_image": {
        "en": "This file is not an image. Please upload a JPEG, PNG or WebP picture.",
        "hu": "Ez a fájl nem kép. Tölts fel JPEG, PNG vagy WebP képet."},
    "images.unsupported_format": {
        "en": "{format} images are not supported. Please upload one of: {allowed}.",
        "hu": "A(z) {format} formátum nem támogatott. Ezek közül tölts fel: {allowed}."},
    "images.too_many_pixels": {
        "en": "This image is too large ({megapixels} megapixels; the limit is {limit}).",
        "hu": "Ez a kép túl nagy ({megapixels} megapixel; a határ {limit})."},
    "images.too_small": {
        "en": "This image is too small: both sides must be at least {side} pixels.",
        "hu": "Ez a kép túl kicsi: mindkét oldalának legalább {side} pixelesnek kell lennie."},
    "images.corrupt": {
        "en": "This image file is damaged or incomplete and cannot be opened.",
        "hu": "Ez a képfájl sérült vagy hiányos, nem lehet megnyitni."},
    # --- autoencoder ---
    "autoencoder.title": {"en": "Autoencoder latent explorer", "hu": "Autoenkóder látens tér"},
    "autoencoder.teaser": {
        "en": "Draw a digit and see where it lands among 1,000 real ones in the latent space.",
        "hu": "Rajzolj egy számjegyet, és nézd meg, hová kerül 1000 valódi számjegy között a "
              "látens térben."},
    "autoencoder.explanation": {
        "en": "An **autoencoder** squeezes each 28x28 image (784 numbers) through a narrow "
              "middle layer and learns to rebuild it from there. The middle layer's values "
              "are a **latent representation**: an intermediate result of the network that "
              "keeps what matters about the digit. Here the middle layer has only **two** "
              "numbers, so the latent space is a plane you can look at directly.\n\n"
              "It is a *variational* autoencoder (Kingma & Welling, 2014): the encoder gives "
              "a small cloud instead of a single point, and training keeps the clouds close to "
              "a standard normal distribution. That is why every point of the plane decodes to "
              "something digit-like, and why walking from one digit to another morphs smoothly."
              "\n\nThe dots are 1,000 handwritten digits the network never saw in training.",
        "hu": "Az **autoenkóder** minden 28x28-as képet (784 számot) egy keskeny középső "
              "rétegen présel át, és megtanulja onnan visszaépíteni. A középső réteg értékei "
              "egy **látens reprezentációt** adnak: a hálózat számítási részeredményét, amely "
              "megőrzi a számjegy lényegét. Itt a középső réteg csak **két** számból áll, így "
              "a látens tér egy sík, amelyet közvetlenül megnézhetünk.\n\n"
              "Ez *variációs* autoenkóder (Kingma és Welling, 2014): a kódoló egyetlen pont "
              "helyett egy kis felhőt ad, a tanítás pedig a felhőket a standard normális "
              "eloszlás közelében tartja. Ezért dekódolható a sík minden pontja valami "
              "számjegyszerűvé, és ezért alakul át simán egyik számjegy a másikba.\n\n"
              "A pöttyök 1000 kézzel írt számjegyet mutatnak, amelyeket a háló a tanítás "
              "során sosem látott."},
    "autoencoder.draw": {"en": "Draw a digit", "hu": "Rajzolj egy számjegyet"},
    "autoencoder.clear": {"en": "Clear", "hu": "Törlés"},
    "autoencoder.empty_hint": {
        "en": "Draw a digit from 0 to 9 in the black box, with the mouse or a finger.",
        "hu": "Rajzolj egy 0 és 9 közötti számjegyet a fekete mezőbe egérrel vagy ujjal."},
    "autoencoder.model_sees": {"en": "What the network sees (28x28)",
                               "hu": "Amit a háló lát (28x28)"},
    "autoencoder.reconstruction": {"en": "Its reconstruction", "hu": "A visszaállított kép"},
    "autoencoder.position": {
        "en": "Latent position ({z1:.2f}, {z2:.2f}), among the {digit}s",
        "hu": "Látens pozíció: ({z1:.2f}, {z2:.2f}), a(z) {digit}-es számjegyek között"},
    "autoencoder.map": {"en": "The latent space", "hu": "A látens tér"},
    "autoencoder.map_hint": {
        "en": "Each dot is a real digit, placed by the encoder. Click anywhere to decode "
              "that point.",
        "hu": "Minden pötty egy valódi számjegy, a kódoló helyezte el. Kattints bárhová, és "
              "a dekódoló megmutatja, mi van ott."},
    "autoencoder.digit": {"en": "Digit", "hu": "Számjegy"},
    "autoencoder.you": {"en": "your digit", "hu": "a te számjegyed"},
    "autoencoder.clicked": {"en": "clicked", "hu": "kattintás"},
    "autoencoder.decoded_at": {"en": "Decoded at ({z1:.2f}, {z2:.2f})",
                               "hu": "Dekódolva itt: ({z1:.2f}, {z2:.2f})"},
    "autoencoder.manifold": {"en": "The whole plane decoded", "hu": "A teljes sík dekódolva"},
    "autoencoder.manifold_hint": {
        "en": "The decoder's output on a regular grid over the same plane as the map "
              "(Kingma & Welling, 2014, Fig. 4). The red ring marks your digit.",
        "hu": "A dekódoló kimenete a térképpel azonos sík szabályos rácsán (Kingma és "
              "Welling, 2014, 4. ábra). A piros kör a te számjegyedet jelöli."},
    "autoencoder.walk": {"en": "Walk through the latent space",
                         "hu": "Séta a látens térben"},
    "autoencoder.walk_to": {"en": "From your digit to", "hu": "A számjegyedtől ide"},
    "autoencoder.class_centre": {"en": "the centre of the {digit}s",
                                 "hu": "a(z) {digit}-esek középpontja"},
    "autoencoder.previous": {"en": "your previous drawing", "hu": "az előző rajzod"},
    "autoencoder.frames": {"en": "Frames", "hu": "Képkockák"},
    "autoencoder.animate": {"en": "Animate", "hu": "Animáció"},
    "autoencoder.walk_hint": {
        "en": "Draw a digit (or click the map) to start a walk from there.",
        "hu": "Rajzolj egy számjegyet (vagy kattints a térképre), és onnan indul a séta."},
    "autoencoder.walk_caption": {
        "en": "Decoded points evenly spaced on a straight line in the latent space",
        "hu": "Egyenes mentén, egyenlő közönként vett látens pontok dekódolva"},
    # --- word_vectors ---
    # --- gan ---
    # --- style_transfer ---
    # --- adversarial_patch ---
}


def current_language() -> str:
    """The visitor's language: the sidebar switch, else ?lang= in the URL, else Hungarian."""
    if STATE_KEY not in st.session_state:
        requested = st.query_params.get("lang", DEFAULT_LANGUAGE)
        st.session_state[STATE_KEY] = requested if requested in LANGUAGES else DEFAULT_LANGUAGE
    return st.session_state[STATE_KEY]


def t(key: str, **params: object) -> str:
    """The text for `key` in the visitor's language, with str.format params filled in."""
    text = TEXTS[key][current_language()]
    return text.format(**params) if params else text


def language_switch() -> None:
    """The sidebar control that picks the language (kept in the URL for bookmarks)."""
    current_language()
    st.sidebar.segmented_control(
        t("app.language"), options=list(LANGUAGES), format_func=LANGUAGES.__getitem__,
        key=STATE_KEY, on_change=_remember_language_in_url)


def _remember_language_in_url() -> None:
    if st.session_state.get(STATE_KEY) is None:  # clicking the selected option unselects it
        st.session_state[STATE_KEY] = DEFAULT_LANGUAGE
    st.query_params["lang"] = st.session_state[STATE_KEY]
