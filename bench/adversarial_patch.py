"""Benchmark the adversarial patch backend on the gallery's device (CPU here).

1. One page interaction: paste the patch on a 224 x 224 photo and classify it (top 5).
2. Patch training: steps per second when one step's random transformations go through the
   classifier as one batch (backend.adversarial_patch.patch_gradient on the whole batch)
   against the same step done as a loop over single images with the gradients averaged.
   Both run in this process, interleaved, so machine load hits them alike. Last line: ratio.

    python bench/adversarial_patch.py [--batch-size 4] [--size 224] [--repeats 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from backend.process import tune_process  # noqa: E402

tune_process()  # as the app does, before torch loads

from backend import adversarial_patch as ap  # noqa: E402
from backend.data.skimage_photos import TRAINING, load_photo  # noqa: E402
from backend.device import device_label  # noqa: E402
from bench.timing import median_seconds  # noqa: E402
import torch  # noqa: E402


def main(argv: list[str] | None = None) -> float:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch-size", type=int, default=4)
    parser.add_argument("--size", type=int, default=224)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)

    model = ap.load_classifier()
    generator = torch.Generator().manual_seed(0)
    patch = torch.rand(3, 64, 64, generator=generator)  # the shipped patches are 64 x 64
    print(f"device: {device_label()}, torch threads: {torch.get_num_threads()}")

    photo = ap.to_tensor(load_photo("chelsea")).unsqueeze(0)
    one = ap.random_placements(1, generator, (0.1, 0.1))

    def interaction():
        patched = ap.apply_patch(photo, patch, one.center, one.scale, one.angle)
        return ap.classify(model, patched)

    per_interaction = median_seconds(interaction, 10 * args.repeats)
    print(f"place patch + classify top 5 (224 x 224): {per_interaction * 1000:.0f} ms")

    photos = [ap.to_tensor(load_photo(name), size=256) for name in TRAINING]
    views = ap.random_views(photos, args.batch_size, args.size, generator)
    placements = ap.random_placements(args.batch_size, generator)
    toaster = ap.CLASS_NAMES.index("toaster")

    def batched_step():
        return ap.patch_gradient(model, patch, views, placements, toaster)[1]

    def per_image_step():
        gradient = torch.zeros_like(patch)
        for i in range(args.batch_size):
            single = ap.Placements(placements.center[i:i + 1], placements.scale[i:i + 1],
                                   placements.angle[i:i + 1])
            gradient += ap.patch_gradient(model, patch, views[i:i + 1], single, toaster)[1]
        return gradient / args.batch_size

    # Same maths: the mean of per-image gradients is the gradient of the batch mean.
    assert torch.allclose(batched_step(), per_image_step(), rtol=1e-3, atol=1e-6)
    batched, looped = [], []
    for _ in range(args.repeats):  # interleaved, so load changes hit both
        batched.append(median_seconds(batched_step, 1))
        looped.append(median_seconds(per_image_step, 1))
    batched_rate = 1 / statistics.median(batched)
    looped_rate = 1 / statistics.median(looped)
    print(f"training steps/s, {args.batch_size} transformations of {args.size} x {args.size} "
          f"views: batched {batched_rate:.2f}, per-image loop {looped_rate:.2f}")
    ratio = batched_rate / looped_rate
    print(f"batched / per-image training speed: {ratio:.2f}x")
    return ratio


if __name__ == "__main__":
    main()
