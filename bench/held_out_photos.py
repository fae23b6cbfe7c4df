"""Measure the classifier and the shipped adversarial patches on the held-out photos.

The subject: EfficientNet-Lite0 and assets/adversarial_patch/*.png on the 34 photos of
backend.data.debian_photos.HELD_OUT (Debian packages' sample photos, never seen in training),
next to the six skimage photos the first patches were measured on.
1. Clean accuracy: top-1 and top-5 against each photo's accepted ImageNet classes.
2. Each patch's success rate (the target becomes the top-1 class) at 5-25 % coverage, with the
   training CLI's evaluation protocol: backend.adversarial_patch.patch_success_rate, random
   placements per photo from a generator seeded 1234 for every coverage, rotations up to the
   records' angle. Baseline: a uniform-noise patch of the same size (64 x 64) at the very same
   placements, so the figures above it are what the trained pattern adds.

    python bench/held_out_photos.py [--placements 5]

The CLI evaluates 20 placements per photo; `--placements 20` is exactly its protocol (it
reproduces the training records' figures to the digit), but takes 5 x 20 x 40 x 4 = 16,000
classifier passes: 21 minutes on a busy 2-core CPU. The default 5 took 5 minutes there and
gives the held-out set 170 trials per coverage. `make data` fetches the photos.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from backend.process import tune_process  # noqa: E402

tune_process()  # as the app does, before torch loads

import torch  # noqa: E402

from backend import adversarial_patch as ap  # noqa: E402
from backend.data import debian_photos, skimage_photos  # noqa: E402
from backend.device import device_label  # noqa: E402
from backend.train.adversarial_patch import EVAL_SCALES, debian_held_out_images  # noqa: E402

SEED = 1234  # the training CLI's evaluation seed


def clean_accuracy(model: ap.Classifier, images: torch.Tensor,
                   accepted: list[tuple[str, ...]]) -> tuple[float, float, list[str]]:
    """(top-1 accuracy, top-5 accuracy, one line per photo the top 5 misses)."""
    top1 = top5 = 0
    misses = []
    for labels, predictions in zip(accepted, ap.classify(model, images, k=5)):
        names = [ap.CLASS_NAMES[index] for index, _ in predictions]
        top1 += names[0] in labels
        top5 += any(name in labels for name in names)
        if not any(name in labels for name in names):
            misses.append(f"{'/'.join(labels)} -> {', '.join(names[:3])}")
    return top1 / len(images), top5 / len(images), misses


@torch.inference_mode()
def noise_success(model: ap.Classifier, images: torch.Tensor, noise: torch.Tensor,
                  targets: list[int], scale: float, placements_per_image: int,
                  max_angle: float, chunk: int = 32) -> dict[int, float]:
    """patch_success_rate's protocol for the noise patch and every target in one pass: the
    same seeded placements (random_placements, apply_patch), each target's top-1 rate."""
    device = next(model.parameters()).device
    generator = torch.Generator().manual_seed(SEED)
    count = len(images) * placements_per_image
    placements = ap.random_placements(count, generator, (scale, scale), max_angle)
    center, scales, angle = (t.to(device) for t in
                             (placements.center, placements.scale, placements.angle))
    repeated = images.repeat_interleave(placements_per_image, dim=0).to(device)
    noise = noise.to(device)
    top1 = torch.cat([model(ap.apply_patch(repeated[rows], noise, center[rows], scales[rows],
                                           angle[rows])).argmax(dim=1).cpu()
                      for rows in torch.arange(count).split(chunk)])
    return {target: (top1 == target).float().mean().item() for target in targets}


def success_table(model: ap.Classifier, images: torch.Tensor,
                  patches: list[tuple[torch.Tensor, dict]], noise: torch.Tensor,
                  placements: int) -> dict[str, list[float]]:
    """Row name -> success rate at each coverage of EVAL_SCALES."""
    targets = [record["target_index"] for _, record in patches]
    # one angle for all, so that the noise patch shares every patch's placements
    (degrees,) = {record["max_angle_degrees"] for _, record in patches}
    max_angle = math.radians(degrees)
    rows: dict[str, list[float]] = {record["target"]: [] for _, record in patches}
    for _, record in patches:
        rows[f"noise -> {record['target']}"] = []
    for scale in EVAL_SCALES:
        for patch, record in patches:
            rows[record["target"]].append(ap.patch_success_rate(
                model, images, patch, record["target_index"],
                torch.Generator().manual_seed(SEED), scale=scale,
                placements_per_image=placements, max_angle=max_angle))
        baseline = noise_success(model, images, noise, targets, scale, placements, max_angle)
        for _, record in patches:
            rows[f"noise -> {record['target']}"].append(baseline[record["target_index"]])
    return rows


def print_table(title: str, rows: dict[str, list[float]], trials: int) -> None:
    header = " | ".join(f"{scale:.0%}" for scale in EVAL_SCALES)
    print(f"\n{title} ({trials} trials per coverage)")
    print(f"| patch | {header} |")
    print("|---" * (len(EVAL_SCALES) + 1) + "|")
    for name, rates in rows.items():
        print(f"| {name} | " + " | ".join(f"{rate:.0%}" for rate in rates) + " |")


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--placements", type=int, default=5,
                        help="per photo and coverage (the training CLI uses 20)")
    args = parser.parse_args(argv)

    debian_photos.ensure_downloaded()
    model = ap.load_classifier()
    print(f"device: {device_label()}, torch threads: {torch.get_num_threads()}")
    sets = {
        f"new held-out set: {len(debian_photos.HELD_OUT)} photos from Debian packages":
            (debian_held_out_images(), list(debian_photos.HELD_OUT.values())),
        "old held-out set: the 6 skimage photos":
            (ap.held_out_images(), list(skimage_photos.HELD_OUT.values())),
    }
    patches = ap.load_shipped_patches()
    noise = torch.rand(patches[0][0].shape, generator=torch.Generator().manual_seed(0))

    results = {}
    for title, (images, accepted) in sets.items():
        top1, top5, misses = clean_accuracy(model, images, accepted)
        print(f"\n{title}: clean top-1 {top1:.0%}, top-5 {top5:.0%} "
              f"({round(top1 * len(images))} and {round(top5 * len(images))} of {len(images)})")
        for miss in misses:
            print(f"  not in the top 5: {miss}")
        started = time.perf_counter()
        rows = success_table(model, images, patches, noise, args.placements)
        print_table(f"{title}: the target becomes top-1", rows, len(images) * args.placements)
        print(f"({time.perf_counter() - started:.0f} s)")
        results[title] = {"top1": top1, "top5": top5, "success": rows}

    print("\nthe training records' own figures (old set, same protocol):")
    for _, record in patches:
        rates = record["metrics"]["held_out_success_rate_by_coverage"].values()
        print(f"  {record['target']}: " + " | ".join(f"{rate:.0%}" for rate in rates))
    return results


if __name__ == "__main__":
    main()
