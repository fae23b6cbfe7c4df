"""Analogy accuracy and speed of the word-vector page's arithmetic against gensim's own calls.

Runs gensim's 19,544 analogy questions (questions-words.txt, Mikolov et al. 2013) through
`backend.word_vectors.solve`, what the page calls, with the search restricted to the 30,000
most frequent words, as 3CosAdd and 3CosMul. Questions with a word outside those 30,000 are
skipped, as gensim's `evaluate_word_analogies` does; gensim's `most_similar(...,
restrict_vocab=30000)` answers every question too, as a cross-check of 3CosAdd.

Speed: on every 20th question the page and gensim's `most_similar` take turns, best of 5
each. gensim's `most_similar_cosmul` ignores restrict_vocab and scans all 400,000 words, so
it is timed on every 60th question only. Also times loading the vectors and building the map.
The last line is the per-query time ratio page / gensim for 3CosAdd (like for like).

    .venv/bin/python bench/word_vectors.py [--limit N]
"""

from __future__ import annotations

import os

# One BLAS thread for both sides: on a shared 2-core machine OpenBLAS threads only fight over
# cores for a 30,000 x 50 matrix-vector product (measured 0.5 ms with one thread, up to 15 ms
# with two under load), which buries the comparison in noise.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from backend.process import tune_process  # noqa: E402

tune_process()  # as the app does, before torch loads

from gensim.models import KeyedVectors  # noqa: E402
from gensim.test.utils import datapath  # noqa: E402

from backend import word_vectors as wv  # noqa: E402
from ui.figures import word_map_figure  # noqa: E402

VOCAB = 30_000
SPEED_EVERY = 20    # questions timed page against gensim, best of 5 each
COSMUL_EVERY = 60   # gensim's 3CosMul scans all 400,000 words: every 60th question only


def read_questions(path: str) -> list[tuple[str, str, str, str]]:
    """(a, b, c, expected) lowercased: "a is to b as c is to expected"."""
    questions = []
    for line in Path(path).read_text().splitlines():
        if line and not line.startswith(":"):
            a, b, c, expected = line.lower().split()
            questions.append((a, b, c, expected))
    return questions


def time_loading() -> KeyedVectors:
    started = time.perf_counter()
    kv = wv.load_glove()
    ours = time.perf_counter() - started
    words, vectors = list(kv.index_to_key), np.asarray(kv.vectors)
    started = time.perf_counter()
    wv.keyed_vectors(words, vectors)
    direct = time.perf_counter() - started
    started = time.perf_counter()
    slow = KeyedVectors(vector_size=50)
    slow.add_vectors(words, vectors)
    slow.fill_norms()
    theirs = time.perf_counter() - started
    print(f"load GloVe (page's loader: parquet words, .npy to C order): {ours:.2f} s;"
          f" of which filling KeyedVectors directly {direct:.2f} s,"
          f" with gensim's add_vectors {theirs:.2f} s")
    return kv


def time_map(kv: KeyedVectors) -> None:
    """What the page does after the arithmetic: place the words and build the figure."""
    coords = wv.load_word_map()
    terms = wv.parse_expression("rome - italy + china")
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        results = [word for word, _ in wv.solve(kv, terms, topn=3)]
        words = wv.map_words(kv, coords, terms, results)
        json.dumps(word_map_figure(words, wv.offset_arrows(terms, results[0]), {},
                                   wv.view_frame(words)))
        best = min(best, time.perf_counter() - started)
    imported = sorted({"umap", "numba"} & set(sys.modules))
    print(f"map for 'rome - italy + china' (arithmetic, placement, figure as JSON):"
          f" {best * 1000:.0f} ms warm; umap/numba imported: {imported or 'no'}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="only the first N questions")
    args = parser.parse_args(argv)
    print(f"OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}")

    kv = time_loading()
    time_map(kv)
    questions = read_questions(datapath("questions-words.txt"))[:args.limit]
    frequent = set(kv.index_to_key[:VOCAB])
    covered = [q for q in questions if set(q) <= frequent]
    print(f"{len(questions)} questions, {len(covered)} with all four words among the"
          f" {VOCAB} most frequent (the others are skipped)")

    for method in wv.METHODS:  # warm: first_words' view of the 30,000 words
        wv.solve(kv, wv.parse_expression("king - man + woman"), method, restrict_vocab=VOCAB)
    measure_accuracy(kv, covered)
    measure_speed(kv, covered)


def measure_accuracy(kv: KeyedVectors, covered: list[tuple[str, str, str, str]]) -> None:
    """Every covered question through the page's solve() (both methods), and through gensim's
    most_similar as a cross-check of 3CosAdd."""
    correct = {"3CosAdd": 0, "3CosMul": 0, "gensim": 0}
    started = time.perf_counter()
    for number, (a, b, c, expected) in enumerate(covered, start=1):
        terms = wv.parse_expression(f"{b} - {a} + {c}")
        for method in wv.METHODS:
            correct[method] += wv.solve(kv, terms, method, VOCAB, topn=1)[0][0] == expected
        gensim = kv.most_similar(positive=[b, c], negative=[a], topn=1, restrict_vocab=VOCAB)
        correct["gensim"] += gensim[0][0] == expected
        if number % 5000 == 0:
            print(f"  {number}/{len(covered)} questions, {time.perf_counter() - started:.0f} s",
                  flush=True)
    n = len(covered)
    for method in wv.METHODS:
        print(f"{method} accuracy (page): {correct[method] / n:.4f} ({correct[method]}/{n})")
    print(f"3CosAdd accuracy (gensim most_similar, same questions): {correct['gensim'] / n:.4f}")


def fastest(call: Callable[[], object], repeats: int) -> float:
    """The best of `repeats` timings: on a shared machine the minimum is the stable figure."""
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        call()
        best = min(best, time.perf_counter() - started)
    return best


def measure_speed(kv: KeyedVectors, covered: list[tuple[str, str, str, str]]) -> None:
    """Per-query time, page against gensim on the same questions, taking turns to go first."""
    spent = {"page 3CosAdd": 0.0, "gensim 3CosAdd": 0.0, "page 3CosMul": 0.0, "gensim 3CosMul": 0.0}
    cosmul_correct = {"page": 0, "gensim": 0}
    for number, (a, b, c, expected) in enumerate(covered[::SPEED_EVERY]):
        terms = wv.parse_expression(f"{b} - {a} + {c}")
        sides = {
            "page 3CosAdd": lambda: wv.solve(kv, terms, "3CosAdd", VOCAB, topn=1),
            "gensim 3CosAdd": lambda: kv.most_similar(positive=[b, c], negative=[a], topn=1,
                                                      restrict_vocab=VOCAB)}
        for name in sorted(sides, reverse=number % 2 == 1):
            spent[name] += fastest(sides[name], repeats=5)
        if number % (COSMUL_EVERY // SPEED_EVERY) == 0:
            page = wv.solve(kv, terms, "3CosMul", VOCAB, topn=1)
            spent["page 3CosMul"] += fastest(
                lambda: wv.solve(kv, terms, "3CosMul", VOCAB, topn=1), repeats=3)
            started = time.perf_counter()
            gensim = kv.most_similar_cosmul(positive=[b, c], negative=[a], topn=1,
                                            restrict_vocab=VOCAB)
            spent["gensim 3CosMul"] += time.perf_counter() - started
            cosmul_correct["page"] += page[0][0] == expected
            cosmul_correct["gensim"] += gensim[0][0] == expected
    n_add = len(covered[::SPEED_EVERY])
    n_mul = len(covered[::COSMUL_EVERY])
    print(f"3CosMul on every {COSMUL_EVERY}th question ({n_mul}): accuracy page"
          f" {cosmul_correct['page'] / n_mul:.4f}, gensim most_similar_cosmul"
          f" {cosmul_correct['gensim'] / n_mul:.4f} (it ignores restrict_vocab: all 400,000 words)")
    page_mul, gensim_mul = spent["page 3CosMul"] / n_mul, spent["gensim 3CosMul"] / n_mul
    print(f"time per query 3CosMul: page {page_mul * 1000:.3f} ms, gensim most_similar_cosmul"
          f" {gensim_mul * 1000:.3f} ms, ratio {page_mul / gensim_mul:.3f}")
    page_add, gensim_add = spent["page 3CosAdd"] / n_add, spent["gensim 3CosAdd"] / n_add
    print(f"time per query 3CosAdd on every {SPEED_EVERY}th question ({n_add}), best of 5:"
          f" page {page_add * 1000:.3f} ms, gensim most_similar {gensim_add * 1000:.3f} ms")
    print(f"ratio page / gensim most_similar per query (3CosAdd): {page_add / gensim_add:.3f}")

if __name__ == "__main__":
    main()
