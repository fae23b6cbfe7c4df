"""Property-based tests (hypothesis) for the code that takes open-ended input from visitors.

Hand-picked examples only check the cases their author thought of. Here hypothesis generates
many inputs, shrinks any failure to a small example, and each test states what must hold for
*every* input:

1. Word expressions (backend/word_vectors.py): any text either parses into sensible terms or
   raises ExpressionError with a key the page can translate; an expression written from
   known terms parses to the sums of the weights as written (exact fractions: weights that
   cancel on paper are gone); the canonical text of terms parses back to them; a spelling
   fix renames one word and nothing else.
2. Drawings (backend/autoencoder.py): any blob of ink becomes a 28x28 digit whose centre of
   mass is at the field's centre (within half a pixel) unless the field's edge stops it
   there; an (almost) empty drawing, and any canvas at all, gives None or a digit, no error.
3. URL parameters of every page (backend/url_config.py): any query, junk or not, single or
   repeated parameters, gives a valid config, junk falls back to the default, and a config's
   own link reads back to the same config. The configs are found from the gallery's
   registry, so a new page's config is tested (and must be described here) automatically.
4. Uploads (backend/images.py): any bytes, and real images with damaged or cut-off bytes,
   give a bounded RGB image or an ImageError whose message the page can show, nothing else.

No example database is kept (database=None): a failure is reproduced from the example
hypothesis prints. (Hypothesis still caches constants in .hypothesis/, which git ignores.)
"""

from __future__ import annotations

import ast
import dataclasses
import importlib
import io
import math
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw

from backend import autoencoder as ae
from backend import word_vectors as wv
from backend.images import DEFAULT_MAX_SIDE, ImageError, load_image
from backend.url_config import QueryConfig

ROOT = Path(__file__).resolve().parents[1]

# Every test below states its own number of examples; none writes an example database.
# derandomize: the same examples on every run, so that a search's luck cannot turn CI red
# (to search anew locally, set derandomize=False for a run).
PROPERTIES = settings(database=None, deadline=None, derandomize=True,
                      suppress_health_check=[HealthCheck.too_slow])


@cache
def translations() -> dict[str, dict[str, str]]:
    """{"word_vectors.error.empty": {"hu": ..., "en": ...}} from texts/*.toml, read the way
    ui/i18n.py reads them (which cannot be imported here: it needs Streamlit)."""
    texts: dict[str, dict[str, str]] = {}

    def collect(key: str, table: dict[str, Any]) -> None:
        languages = {name: value for name, value in table.items() if isinstance(value, str)}
        if languages:
            texts[key] = languages
        for name, value in table.items():
            if isinstance(value, dict):
                collect(f"{key}.{name}", value)

    for path in sorted((ROOT / "texts").glob("*.toml")):
        collect(path.stem, tomllib.loads(path.read_text()))
    return texts


def assert_page_can_show(key: str, **params: object) -> None:
    """The page shows an error as t(key, **params): the key must have a text in every
    language, and the parameters must fill all of its blanks."""
    languages = translations().get(key)
    assert languages and set(languages) >= {"hu", "en"}, f"no translation for {key!r}"
    for text in languages.values():
        text.format(**params)  # a KeyError here: the message has a blank nobody fills


# --- 1. word expressions ------------------------------------------------------------------

OPERATOR_CHARACTERS = "+-\u2212\u2013*\u00d7"
SIGNS = ["+", "-", "\u2212", "\u2013"]  # plus, minus, typographic minus, en dash
GAPS = st.sampled_from(["", " ", "  ", "\t", "\u3000"])  # \u3000: ideographic space

# Arbitrary text finds crashes; text made mostly of the parser's own characters reaches the
# deeper branches (weights, repeated signs, merging), which random unicode rarely does.
expression_like_text = st.lists(st.sampled_from(
    list("ab1.0 *+-\u2212\u2013\u00d7\t") + ["kin", "g", "100", "0.5", "NaN", "İ", "٣", "𝟗"]),
    max_size=40).map("".join)
any_text = st.one_of(st.text(), expression_like_text,
                     st.text(min_size=wv.MAX_CHARS - 5, max_size=wv.MAX_CHARS + 5))


@settings(PROPERTIES, max_examples=400)
@given(any_text)
def test_any_text_gives_terms_or_an_expression_error(text):
    try:
        terms = wv.parse_expression(text)
    except wv.ExpressionError as error:
        assert_page_can_show(error.key, token=error.token)
        return
    words = [term.word for term in terms]
    assert 1 <= len(terms) <= wv.MAX_TERMS
    assert len(set(words)) == len(words), "repeated words must be merged"
    for term in terms:
        # A word is one token of the lower-cased text: no spaces, no operators, not invented.
        assert term.word and not re.search(rf"[\s{re.escape(OPERATOR_CHARACTERS)}]", term.word)
        assert term.word in text.lower()
        assert term.weight != 0 and math.isfinite(term.weight)
        assert abs(term.weight) <= wv.MAX_WEIGHT * wv.MAX_TERMS


@dataclass(frozen=True)
class WrittenTerm:
    """One term as a visitor might type it: `- 0.5*paris`, `+paris×2`, `paris`."""
    sign: str           # "" (only first), "+", "-", "−" or "–"
    word: str
    weight: str | None  # the number as typed, or None for no weight
    weight_first: bool  # `0.5*paris` rather than `paris*0.5`
    times: str          # "*" or "×"
    gaps: tuple[str, ...]

    def text(self) -> str:
        g = self.gaps
        if self.weight is None:
            body = self.word
        elif self.weight_first:
            body = f"{self.weight}{g[2]}{self.times}{g[3]}{self.word}"
        else:
            body = f"{self.word}{g[2]}{self.times}{g[3]}{self.weight}"
        return f"{g[0]}{self.sign}{g[1]}{body}"

    def value(self) -> Fraction:
        """The weight exactly as written: 0.1 is one tenth, not the float nearest to it."""
        size = Fraction(1) if self.weight is None else Fraction(self.weight)
        return -size if self.sign in SIGNS[1:] else size


# Short words from a few letters, so that words repeat (and merge) and some are prefixes of
# others (`a` in `ab`); upper case must not matter.
short_words = st.text(alphabet="abA", min_size=1, max_size=2)
unicode_words = st.text(st.characters(categories=["Ll", "Lu", "Lo"]), min_size=1, max_size=5)
# Mostly weights up to MAX_WEIGHT, sometimes just above it, and often tenths, which floats
# cannot hold exactly (0.1 + 0.2 - 0.3 is not 0 in floats).
tenths = st.sampled_from(["0.1", ".2", "0.3", "0.6", ".7", "1.1", "2.2", "3.3"])
written_numbers = st.one_of(
    st.from_regex(r"[0-9]{1,2}(\.[0-9]{0,3})?|\.[0-9]{1,3}", fullmatch=True),
    st.sampled_from(["100", "100.0", "100.001", "250"]), tenths)


@st.composite
def written_terms(draw, words=short_words, most=wv.MAX_TERMS + 1, numbers=written_numbers):
    count = draw(st.integers(1, most))
    terms = []
    for i in range(count):
        terms.append(WrittenTerm(
            sign=draw(st.sampled_from(([""] if i == 0 else []) + SIGNS)),
            word=draw(words),
            weight=draw(st.none() | numbers),
            weight_first=draw(st.booleans()),
            times=draw(st.sampled_from(["*", "\u00d7"])),
            gaps=tuple(draw(GAPS) for _ in range(4))))
    return terms


@st.composite
def cancelling_terms(draw):
    """Written terms and one more that cancels one word's weights exactly as written
    (`0.1*a + 0.2*a` and `- 0.3*a`): random weights almost never sum to exactly 0."""
    terms = draw(written_terms(most=6, numbers=tenths))
    word = draw(st.sampled_from([term.word for term in terms]))
    total = sum((term.value() for term in terms if term.word.lower() == word.lower()),
                Fraction(0))
    if total == 0:
        return terms
    size = format(Decimal(abs(total.numerator)) / Decimal(total.denominator), "f")
    return terms + [WrittenTerm("-" if total > 0 else "+", word, size, draw(st.booleans()),
                                "*", (" ", " ", "", ""))]


def expected_parse(terms: list[WrittenTerm]) -> list[wv.Term] | tuple[str, str]:
    """What parse_expression must make of `terms`, worked out independently: the terms with
    exact sums per word (in order of first appearance, zero sums dropped), or the (key,
    token) of the error it must raise, checked in the parser's order."""
    text = "".join(term.text() for term in terms)
    if len(text) > wv.MAX_CHARS:
        return "word_vectors.error.too_long", text[:20] + "…"
    for term in terms:
        if term.weight is not None and Fraction(term.weight) > wv.MAX_WEIGHT:
            return "word_vectors.error.weight", term.weight
    if len(terms) > wv.MAX_TERMS:
        return "word_vectors.error.too_long", terms[wv.MAX_TERMS].word.lower()
    sums: dict[str, Fraction] = {}
    for term in terms:
        sums[term.word.lower()] = sums.get(term.word.lower(), Fraction(0)) + term.value()
    kept = [wv.Term(word, float(total)) for word, total in sums.items() if total != 0]
    return kept or ("word_vectors.error.cancels", terms[0].word.lower())


def parse_or_error(text: str) -> list[wv.Term] | tuple[str, str]:
    try:
        return wv.parse_expression(text)
    except wv.ExpressionError as error:
        return error.key, error.token


def typed(text: str) -> list[WrittenTerm]:
    """WrittenTerms for a simple expression like "0.1*a + 0.2*a - 0.3*a" (for @example)."""
    terms = []
    for sign, weight, word in re.findall(r"([+-]?)\s*(?:([0-9.]+)\*)?(\w+)", text):
        terms.append(WrittenTerm(sign, word, weight or None, True, "*", (" ", " ", "", "")))
    return terms


@settings(PROPERTIES, max_examples=300)
@given(st.one_of(written_terms(), written_terms(unicode_words), cancelling_terms()))
@example(typed("0.1*a + 0.2*a - 0.3*a"))  # cancels exactly, as written
@example(typed("king + 0.1*man + 0.2*man - 0.3*man"))  # so man is no term any more
def test_written_expressions_parse_to_their_sums(terms):
    text = "".join(term.text() for term in terms)
    parsed, expected = parse_or_error(text), expected_parse(terms)
    if isinstance(expected, tuple):
        assert parsed == expected
        return
    assert isinstance(parsed, list), parsed
    # Words that the written weights cancel must be gone, not left with a rounding error.
    assert [term.word for term in parsed] == [term.word for term in expected], text
    for got, want in zip(parsed, expected):
        assert math.isclose(got.weight, want.weight, rel_tol=1e-12), (text, got, want)


# Terms as the parser makes them: distinct lower-case words, non-zero weights. Weights up to
# MAX_WEIGHT, as they can be written; from 1e-4 on, which format_expression writes without
# an exponent (it writes 1e-05 as "1e-05", which reads as "1e" minus "05").
parsed_words = st.text(st.characters(categories=["Ll", "Lo", "Nd"]), min_size=1, max_size=6
                       ).filter(lambda word: word == word.lower())
weights = st.builds(lambda size, negative: -size if negative else size,
                    st.floats(1e-4, wv.MAX_WEIGHT), st.booleans())
parsed_terms = st.lists(st.tuples(parsed_words, weights), min_size=1, max_size=wv.MAX_TERMS,
                        unique_by=lambda term: term[0]
                        ).map(lambda terms: [wv.Term(word, weight) for word, weight in terms])


@settings(PROPERTIES, max_examples=300)
@given(parsed_terms)
def test_the_canonical_text_parses_back_to_its_terms(terms):
    text = wv.format_expression(terms)
    again = wv.parse_expression(text)
    assert [term.word for term in again] == [term.word for term in terms]
    for before, after in zip(terms, again):
        # "%g" keeps 6 significant digits: at most half a unit of the 6th digit is lost.
        assert math.isclose(after.weight, before.weight, rel_tol=5e-6), (text, before, after)
    assert wv.format_expression(again) == text  # the canonical text is a fixed point


@settings(PROPERTIES, max_examples=200)
@given(written_terms(most=6), st.data())
def test_a_spelling_fix_renames_one_word_everywhere_and_nothing_else(terms, data):
    text = "".join(term.text() for term in terms)
    before = parse_or_error(text)
    assume(isinstance(before, list))
    old = data.draw(st.sampled_from([term.word for term in before]), label="old")
    new = data.draw(st.text(alphabet="abkz", min_size=1, max_size=4), label="new")
    fixed = wv.replace_word(text, old, new)
    # The page offers GloVe's spelling of an unknown word: the expression must mean the
    # same with that one word renamed (merging with `new` if it was already there).
    renamed: dict[str, float] = {}
    for term in before:
        word = new if term.word == old else term.word
        renamed[word] = renamed.get(word, 0.0) + term.weight
    after = parse_or_error(fixed)
    if len(fixed) > wv.MAX_CHARS:
        assert after[0] == "word_vectors.error.too_long"
        return
    # These sums are of floats; a weight that cancels leaves at most a rounding error here.
    expected = {word: weight for word, weight in renamed.items() if abs(weight) > 1e-9}
    if not expected:
        assert after[0] == "word_vectors.error.cancels"
        return
    assert isinstance(after, list), (fixed, after)
    assert [term.word for term in after] == list(expected)
    for term in after:
        assert math.isclose(term.weight, expected[term.word], rel_tol=1e-9), (fixed, after)


# --- 2. drawings --------------------------------------------------------------------------

CANVAS = 280  # the page's st_canvas is 280 x 280
INK_THRESHOLD = 25  # preprocess_drawing counts a pixel as ink above this level


def canvas(ink: np.ndarray, transparent_background: bool) -> np.ndarray:
    """The RGBA array st_canvas gives for a grey ink image: white ink on black, or (if the
    background is transparent) ink whose opacity is its brightness."""
    rgba = np.zeros((CANVAS, CANVAS, 4), np.uint8)
    rgba[..., :3] = ink[..., None]
    rgba[..., 3] = ink if transparent_background else 255
    return rgba


@st.composite
def ink_blobs(draw):
    """1-3 rectangles, ellipses or strokes of ink, anywhere, from dots to the whole canvas."""
    image = Image.new("L", (CANVAS, CANVAS))
    pen = ImageDraw.Draw(image)
    position = st.integers(0, CANVAS - 1)
    for _ in range(draw(st.integers(1, 3))):
        shape = draw(st.sampled_from(["rectangle", "ellipse", "stroke"]))
        x, y = draw(position), draw(position)
        size = st.integers(0, 3) | st.integers(0, CANVAS)  # specks are worth trying often
        width, height = draw(size), draw(size)
        brightness = draw(st.integers(100, 255))
        if shape == "stroke":
            pen.line([(x, y), (draw(position), draw(position))], fill=brightness,
                     width=draw(st.integers(3, 30)))
        else:
            getattr(pen, shape)([x, y, x + width, y + height], fill=brightness)
    return np.asarray(image)


def centre_of_mass(digit: np.ndarray) -> np.ndarray:
    """(row, column) in pixel indices; the field's centre is (13.5, 13.5), the middle of the
    28 x 28 field (MNIST's "centre of mass at the centre", as preprocess_drawing places it)."""
    rows, cols = np.indices(digit.shape)
    mass = digit.astype(np.float64)
    return np.array([(rows * mass).sum(), (cols * mass).sum()]) / mass.sum()


def stray_speck_and_blob() -> np.ndarray:
    """A blob in the bottom-right corner and one faint speck in the top-left one, which
    widens the crop but vanishes when it is shrunk to 20 x 20: the blob must still be
    centred (it was 3.6 pixels off, centred with the speck's blank margin)."""
    ink = np.zeros((CANVAS, CANVAS), np.uint8)
    ink[0, 0] = 100
    ink[200:260, 200:260] = 255
    return ink


@settings(PROPERTIES, max_examples=150)
@given(ink_blobs(), st.booleans())
@example(stray_speck_and_blob(), False)
def test_a_drawing_is_fitted_and_centred_by_mass_unless_the_edge_stops_it(ink, transparent):
    rgba = canvas(ink, transparent)
    digit = ae.preprocess_drawing(rgba)
    ink_pixels = np.count_nonzero(ink.astype(np.float32) * (rgba[..., 3] / 255) > INK_THRESHOLD)
    if ink_pixels < 30:  # preprocess_drawing's min_ink_pixels
        assert digit is None
        return
    assert digit is not None and digit.shape == (ae.SIDE, ae.SIDE) and digit.dtype == np.float32
    assert digit.min() >= 0 and digit.max() <= 1
    rows, cols = np.nonzero(digit)
    # Scaled to fit a 20 x 20 box, as MNIST's digits were.
    assert rows.max() - rows.min() < 20 and cols.max() - cols.min() < 20
    centre = (ae.SIDE - 1) / 2
    for axis, (com, first, last) in enumerate(zip(centre_of_mass(digit), (rows.min(),
                                                  cols.min()), (rows.max(), cols.max()))):
        # half a pixel, plus float rounding (a run found 14.0000000033 for a limit of 14.0)
        if com < centre - 0.5 - 1e-6:
            # Mass too far up (left) is allowed only where moving the digit down (right)
            # would push ink out of the field: its ink must reach the bottom (right) edge.
            assert last == ae.SIDE - 1, (axis, com)
        elif com > centre + 0.5 + 1e-6:
            assert first == 0, (axis, com)


@st.composite
def any_canvases(draw):
    """Pixels of any colour and opacity scattered on a black or a transparent canvas; often
    all of them faint, just above the ink threshold, like specks of dust."""
    rgba = np.zeros((CANVAS, CANVAS, 4), np.uint8)
    rgba[..., 3] = draw(st.sampled_from([0, 255]))
    level = st.integers(0, draw(st.sampled_from([40, 255])))
    position = st.integers(0, CANVAS - 1)
    opacity = st.just(255) | st.integers(0, 255)
    for _ in range(draw(st.integers(0, 150))):
        rgba[draw(position), draw(position)] = [draw(level), draw(level), draw(level),
                                                 draw(opacity)]
    return rgba


def faint_specks() -> np.ndarray:
    """40 specks, each bright enough to count as ink, all gone once shrunk to 20 x 20 (this
    crashed: the centre of mass of nothing is 0/0)."""
    rgba = np.zeros((CANVAS, CANVAS, 4), np.uint8)
    rgba[..., 3] = 255
    rgba[np.arange(40) * 7, np.arange(40) * 7, :3] = 30
    return rgba


@settings(PROPERTIES, max_examples=150)
@given(any_canvases())
@example(faint_specks())
def test_any_canvas_gives_a_digit_or_none(rgba):
    digit = ae.preprocess_drawing(rgba)
    if digit is not None:
        assert digit.shape == (ae.SIDE, ae.SIDE) and digit.max() > 0
    # Ink nobody can see is no ink: a fully transparent canvas is empty whatever its colours.
    invisible = rgba.copy()
    invisible[..., 3] = 0
    assert ae.preprocess_drawing(invisible) is None


# --- 3. URL parameters of every page ------------------------------------------------------

def registered_backend_modules() -> list[str]:
    """The backend modules of every demo in the gallery's registry (ui/gallery.py names them
    as "backend.<module>:load"); read from its source, since ui/ imports Streamlit."""
    tree = ast.parse((ROOT / "ui" / "gallery.py").read_text())
    loaders = [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant)
               and isinstance(node.value, str) and re.fullmatch(r"backend\.\w+:\w+", node.value)]
    assert len(loaders) >= 8, "the registry's loaders were not found in ui/gallery.py"
    return [loader.split(":")[0] for loader in loaders]


def all_subclasses(cls: type) -> list[type]:
    return [sub for direct in cls.__subclasses__() for sub in [direct, *all_subclasses(direct)]]


for module in registered_backend_modules():
    importlib.import_module(module)
CONFIGS = sorted(all_subclasses(QueryConfig), key=lambda cls: cls.__name__)


@dataclass(frozen=True)
class Allowed:
    """What one config field may hold: `values` generates every kind of valid value, `holds`
    says whether a value is valid; `junk_is_default`: unreadable text gives the default
    (not so for free text, where every text is valid)."""
    values: st.SearchStrategy
    holds: Callable[[Any], bool]
    junk_is_default: bool = True
    choices: tuple[str, ...] = ()  # a choice field's words


def one_of(choices) -> Allowed:
    return Allowed(st.sampled_from(list(choices)), lambda value: value in choices,
                   choices=tuple(choices))


def whole(low: int, high: int) -> Allowed:
    return Allowed(st.integers(low, high),
                   lambda value: type(value) is int and low <= value <= high)


def within(low: float, high: float, places: int | None = None) -> Allowed:
    """A float in [low, high]; rounded to `places` decimals where the config rounds."""
    values = st.floats(low, high)
    if places is not None:
        values = values.map(lambda value: round(value, places))

    def holds(value: Any) -> bool:
        return (type(value) is float and low <= value <= high
                and (places is None or round(value, places) == value))
    return Allowed(values, holds)


def latent() -> Allowed:
    """ExplorerConfig's z1, z2: none yet, or a point rounded to 0.01."""
    number = within(*ae.ExplorerConfig.LATENT, places=2)
    return Allowed(st.none() | number.values, lambda value: value is None or number.holds(value))


BOOLEAN = Allowed(st.booleans(), lambda value: type(value) is bool)
# Any 28 x 28 grey levels, as digit_to_text writes a drawn digit into the link.
DRAWN_DIGITS = st.binary(min_size=28 * 28, max_size=28 * 28).map(
    lambda pixels: ae.digit_to_text(np.frombuffer(pixels, np.uint8).reshape(28, 28) / 255))


def allowed_fields(config_class: type) -> dict[str, Allowed]:
    """Each page config's fields and what they may hold, as its docstring and class constants
    say. A config without an entry here fails test_every_page_config_is_described."""
    from backend import adversarial_patch as ap
    from backend import playground as pg
    from backend import speech as sp
    from backend import style_transfer as stl
    from backend import wasserstein as ws
    c = config_class
    return {
        ae.ExplorerConfig: lambda: {
            "z1": latent(), "z2": latent(),
            "digit": Allowed(st.just("") | DRAWN_DIGITS,
                             lambda value: value == "" or ae.digit_from_text(value) is not None),
            "walk_to": one_of(ae.WALK_TARGETS), "frames": whole(*c.FRAMES)},
        wv.QuestionConfig: lambda: {
            "expression": Allowed(st.text(max_size=wv.MAX_CHARS),
                                  lambda value: type(value) is str and len(value) <= wv.MAX_CHARS,
                                  junk_is_default=False),
            "method": one_of(wv.METHODS), "exclude": BOOLEAN,
            "restrict_vocab": whole(*c.RESTRICT_VOCAB), "view": one_of(wv.VIEWS)},
        stl.PaintingConfig: lambda: {
            "sample": one_of(stl.SAMPLE_PHOTOS), "style": one_of(c.STYLES), "mix": BOOLEAN,
            "second_style": one_of(c.STYLES), "mix_amount": within(*c.AMOUNT),
            "strength": within(*c.AMOUNT), "size": whole(*c.SIZE)},
        ap.SceneConfig: lambda: {
            "photo": one_of(ap.PHOTOS), "patch": one_of(c.PATCHES),
            "x": within(0.0, 1.0, places=3), "y": within(0.0, 1.0, places=3),
            "coverage": whole(*c.COVERAGE), "rotation": whole(*c.ROTATION),
            "method": one_of(ap.ATTACK_METHODS), "epsilon": whole(*c.EPSILON)},
        pg.DataConfig: lambda: {
            "kind": one_of(pg.KINDS), "noise": within(*c.NOISE), "points": whole(*c.POINTS),
            "test_fraction": within(*c.TEST_FRACTION), "seed": whole(*c.SEED)},
        pg.NetworkConfig: lambda: {
            "hidden": Allowed(
                st.lists(st.integers(*c.NEURONS), max_size=c.MAX_LAYERS).map(tuple),
                lambda value: type(value) is tuple and len(value) <= c.MAX_LAYERS and all(
                    type(size) is int and c.NEURONS[0] <= size <= c.NEURONS[1]
                    for size in value)),
            "activation": one_of(pg.ACTIVATIONS), "learning_rate": within(*c.LEARNING_RATE),
            "batch_size": whole(*c.BATCH_SIZE), "l2": within(*c.L2),
            "init_scale": within(*c.INIT_SCALE)},
        ws.PointsConfig: lambda: {
            "kind": one_of(ws.SETS), "points": whole(*c.POINTS), "seed": whole(*c.SEED)},
        ws.CriticConfig: lambda: {
            "constraint": one_of(ws.CONSTRAINTS), "penalty": within(*c.PENALTY),
            "clip": within(*c.CLIP), "learning_rate": within(*c.LEARNING_RATE),
            "width": whole(*c.WIDTH), "layers": whole(*c.LAYERS), "batch": whole(*c.BATCH)},
        ws.GanConfig: lambda: {
            "loss": one_of(ws.LOSSES), "n_critic": whole(*c.N_CRITIC),
            "generator_lr": within(*c.GENERATOR_LR),
            "generator_width": whole(*c.GENERATOR_WIDTH),
            "generator_layers": whole(*c.GENERATOR_LAYERS)},
        sp.VoiceSettings: lambda: {
            "length_scale": within(*c.LENGTH_SCALE), "noise_scale": within(*c.NOISE),
            "noise_w": within(*c.NOISE), "seed": whole(*c.SEED)},
    }[config_class]()


def both_latents_or_neither(config: QueryConfig) -> bool:
    return not isinstance(config, ae.ExplorerConfig) or (config.z1 is None) == (config.z2 is None)


def assert_valid(config: QueryConfig) -> None:
    for field, allowed in allowed_fields(type(config)).items():
        assert allowed.holds(getattr(config, field)), (field, getattr(config, field))
    assert both_latents_or_neither(config)
    # The config's own check (in __post_init__) agrees that it is valid.
    type(config)(**dataclasses.asdict(config))


@cache
def choice_words() -> frozenset[str]:
    """Every word a choice field accepts, and the words with a meaning of their own: flags'
    "true" and "false", and NetworkConfig's "", "none" and "-" for no hidden layer."""
    words = {"true", "false", "", "none", "-"}
    for config_class in CONFIGS:
        for allowed in allowed_fields(config_class).values():
            words |= {choice.lower() for choice in allowed.choices}
    return frozenset(words)


# Text no field can read: no digit (so no number), not a choice; and non-finite numbers,
# which number() refuses too.
junk = st.one_of(
    st.text(st.characters(exclude_categories=["Nd", "Cs"])).filter(
        lambda text: text.strip().lower() not in choice_words()),
    st.sampled_from(["inf", "-inf", " nan ", "NaN", "Infinity", "[]", "None of it", "tru"]))
number_like = st.one_of(st.floats().map(repr), st.integers().map(str),
                        st.from_regex(r"\s*-?[0-9]{0,4}(\.[0-9]*)?(e-?[0-9]+)?,?\s*",
                                      fullmatch=True))


def query_values(config_class: type) -> st.SearchStrategy:
    """Arbitrary text, numbers in and out of range, and the fields' own valid values; as
    Streamlit may hand them over: one string, or the repeats of `?a=1&a=2` as a list."""
    valid = [allowed.values.map(str) for allowed in allowed_fields(config_class).values()]
    one = st.one_of(st.text(), junk, number_like, *valid)
    return st.one_of(one, st.lists(one, min_size=1, max_size=3))


@pytest.mark.parametrize("config_class", CONFIGS, ids=lambda cls: cls.__name__)
def test_every_page_config_is_described(config_class):
    fields = {field.name for field in dataclasses.fields(config_class)}
    assert set(allowed_fields(config_class)) == fields
    assert set(config_class.QUERY_KEYS) == fields, "every field needs its URL key"
    assert_valid(config_class())  # the defaults are valid


def test_the_registry_holds_every_page_config():
    # The discovery above must see the configs of the pages there are now (every demo but
    # the GAN keeps its settings in its URL), or the tests would quietly test fewer.
    assert {cls.__name__ for cls in CONFIGS} >= {
        "ExplorerConfig", "QuestionConfig", "PaintingConfig", "SceneConfig", "DataConfig",
        "NetworkConfig", "PointsConfig", "CriticConfig", "GanConfig", "VoiceSettings"}


@pytest.mark.parametrize("config_class", CONFIGS, ids=lambda cls: cls.__name__)
@settings(PROPERTIES, max_examples=120)
@given(data=st.data())
def test_any_query_gives_a_valid_config_that_its_link_gives_back(config_class, data):
    keys = st.sampled_from(list(config_class.QUERY_KEYS.values()) + ["other", "lang"])
    query = data.draw(st.dictionaries(keys, query_values(config_class)), label="query")
    config = config_class.from_query(query)
    assert_valid(config)
    link = config.to_query()
    assert all(type(value) is str for value in link.values())  # Streamlit takes strings
    assert config_class.from_query(link) == config


@pytest.mark.parametrize("config_class", CONFIGS, ids=lambda cls: cls.__name__)
@settings(PROPERTIES, max_examples=60)
@given(data=st.data())
def test_junk_in_a_query_falls_back_to_the_default(config_class, data):
    allowed = allowed_fields(config_class)
    junk_fields = [field for field in config_class.QUERY_KEYS if allowed[field].junk_is_default]
    values = {field: data.draw(junk | st.lists(junk, min_size=1, max_size=2), label=field)
              for field in junk_fields}
    config = config_class.from_query(
        {config_class.QUERY_KEYS[field]: value for field, value in values.items()})
    default = config_class()
    for field in junk_fields:
        assert getattr(config, field) == getattr(default, field), (field, values[field])


@pytest.mark.parametrize("config_class", CONFIGS, ids=lambda cls: cls.__name__)
@settings(PROPERTIES, max_examples=60)
@given(data=st.data())
def test_every_valid_config_survives_its_link(config_class, data):
    values = {field: data.draw(allowed.values, label=field)
              for field, allowed in allowed_fields(config_class).items()}
    assume(config_class is not ae.ExplorerConfig
           or (values["z1"] is None) == (values["z2"] is None))
    config = config_class(**values)  # raises if the description above allows too much
    assert config_class.from_query(config.to_query()) == config


# --- 4. uploads ---------------------------------------------------------------------------

def encode(image: Image.Image, format: str, **options: Any) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=format, **options)
    return buffer.getvalue()


@cache
def sample_uploads() -> dict[str, bytes]:
    """Small real files of every kind load_image meets: each mode of each allowed format,
    an EXIF-rotated photo, animations, and a GIF (a format it refuses)."""
    rng = np.random.default_rng(0)
    rgb = Image.fromarray(rng.integers(0, 256, (24, 40, 3), dtype=np.uint8))
    rotated = Image.Exif()
    rotated[0x0112] = 6  # "rotate 90 degrees clockwise to display"
    frames = [rgb, rgb.transpose(Image.Transpose.FLIP_LEFT_RIGHT)]
    return {
        "png_rgb": encode(rgb, "PNG"),
        "png_rgba": encode(rgb.convert("RGBA"), "PNG"),
        "png_palette": encode(rgb.convert("P"), "PNG"),
        "png_grey_16bit": encode(Image.fromarray(
            rng.integers(0, 65536, (24, 40), dtype=np.uint16)), "PNG"),
        "png_1bit": encode(rgb.convert("1"), "PNG"),
        "png_animated": encode(rgb, "PNG", save_all=True, append_images=frames[1:]),
        "jpeg_rotated": encode(rgb, "JPEG", exif=rotated.tobytes()),
        "jpeg_grey": encode(rgb.convert("L"), "JPEG"),
        "jpeg_cmyk": encode(rgb.convert("CMYK"), "JPEG"),
        "webp_lossy": encode(rgb, "WEBP"),
        "webp_lossless_rgba": encode(rgb.convert("RGBA"), "WEBP", lossless=True),
        "webp_animated": encode(rgb, "WEBP", save_all=True, append_images=frames[1:]),
        "gif": encode(rgb, "GIF"),
    }


@st.composite
def damaged_uploads(draw):
    """A sample file with a few bytes changed (mostly in its header, where the decoders
    make their decisions) and perhaps cut off."""
    data = bytearray(draw(st.sampled_from(sorted(sample_uploads().items())))[1])
    for _ in range(draw(st.integers(0, 6))):
        position = draw(st.integers(0, min(100, len(data) - 1)) | st.integers(0, len(data) - 1))
        data[position] = draw(st.integers(0, 255))
    if draw(st.booleans()):
        data = data[:draw(st.integers(0, len(data)))]
    return bytes(data)


# Random bytes rarely look like any format; behind a real signature they reach the decoders.
SIGNATURES = [b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0", b"RIFF\x00\x01\x00\x00WEBPVP8 ",
              b"GIF89a", b"BM", b"II*\x00"]
any_bytes = st.one_of(st.binary(), st.builds(bytes.__add__, st.sampled_from(SIGNATURES),
                                             st.binary(max_size=200)))


def assert_bounded_rgb_or_refused(data: bytes, max_side: int) -> None:
    try:
        image = load_image(data, max_side=max_side)
    except ImageError as error:
        assert_page_can_show(error.key, **error.params)
        return
    assert isinstance(image, Image.Image) and image.mode == "RGB"
    assert max(image.size) <= max_side and min(image.size) >= 1
    image.tobytes()  # fully decoded: nothing left to fail later, on the page


@settings(PROPERTIES, max_examples=200)
@given(any_bytes)
def test_any_bytes_give_an_rgb_image_or_an_image_error(data):
    assert_bounded_rgb_or_refused(data, DEFAULT_MAX_SIDE)


@settings(PROPERTIES, max_examples=300)
@given(damaged_uploads(), st.sampled_from([16, 30, DEFAULT_MAX_SIDE]))
def test_damaged_images_give_an_rgb_image_or_an_image_error(data, max_side):
    assert_bounded_rgb_or_refused(data, max_side)


@pytest.mark.parametrize("name", sorted(sample_uploads()))
def test_the_undamaged_samples_load_unless_their_format_is_refused(name):
    # Anchors the damaged-file test: its samples are good files to begin with.
    if name == "gif":
        with pytest.raises(ImageError, match="images.unsupported_format"):
            load_image(sample_uploads()[name])
        return
    image = load_image(sample_uploads()[name])
    assert image.mode == "RGB"
    assert image.size == ((24, 40) if name == "jpeg_rotated" else (40, 24))
