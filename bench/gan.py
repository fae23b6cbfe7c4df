"""Benchmark: a 32-frame latent interpolation with critic scores, batched vs frame by frame.

    python bench/gan.py [--model assets/gan/fashion] [--repeats 20]

Both ways run in the same process on the same device; the last line is the ratio
(frame-by-frame time / batched time), so above 1 means batching wins.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from backend.process import tune_process  # noqa: E402

tune_process()  # as the app does, before torch loads

from backend.device import device_label, get_device  # noqa: E402
from backend.gan import (ASSET_DIR, critic_scores, generate, interpolate, load_models,  # noqa: E402
                         sample_latents)
from bench.timing import median_seconds  # noqa: E402
import torch  # noqa: E402

FRAMES = 32


def batched(generator, critic, path: torch.Tensor) -> torch.Tensor:
    return critic_scores(critic, generate(generator, path))


def frame_by_frame(generator, critic, path: torch.Tensor) -> torch.Tensor:
    return torch.cat([critic_scores(critic, generate(generator, z[None])) for z in path])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", type=Path, default=ASSET_DIR / "fashion")
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()

    generator, critic = load_models(args.model, get_device())
    z0, z1 = sample_latents([1, 2], generator.latent_dim)
    path = interpolate(z0, z1, FRAMES, "slerp").to(get_device())
    assert torch.allclose(batched(generator, critic, path),
                          frame_by_frame(generator, critic, path), atol=1e-4)

    one_by_one = 1000 * median_seconds(lambda: frame_by_frame(generator, critic, path), args.repeats)
    together = 1000 * median_seconds(lambda: batched(generator, critic, path), args.repeats)
    print(f"model {args.model}, device {device_label()}, torch threads {torch.get_num_threads()}")
    print(f"{FRAMES} frames + critic scores, frame by frame: {one_by_one:.2f} ms (median of {args.repeats})")
    print(f"{FRAMES} frames + critic scores, batched:        {together:.2f} ms (median of {args.repeats})")
    print(f"speed-up of batching (frame-by-frame / batched): {one_by_one / together:.2f}x")


if __name__ == "__main__":
    main()
