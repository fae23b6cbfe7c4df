"""Train a WGAN-GP (Gulrajani et al. 2017) on Fashion-MNIST or the MNIST digits.

    python -m backend.train.gan --dataset fashion --seed 0 --out assets/gan/fashion \
        --max-minutes 15

Algorithm 1 of the paper: n_critic critic steps per generator step, gradient penalty
weight 10, Adam with beta1 = 0.5, beta2 = 0.9. Training stops after --max-steps generator
steps or --max-minutes, whichever comes first. Then the Fréchet distance is measured in the
feature space of the data set's classifier (backend.train.gan_classifier, trained first)
between 10,000 generated images and the test split, beside two baselines in the same
space: the training split (the floor) and an untrained generator (the ceiling).

With --ema-decay the shipped generator is an exponential moving average of the generator's
weights over the steps (Yazıcı et al. 2019, "The Unusual Effectiveness of Averaging in GAN
Training"): the last weights of a GAN wander around a good solution, their average sits
nearer to it.

Writes OUT/generator.safetensors, OUT/critic.safetensors, OUT/record.json, OUT/samples.png,
and OUT/training_state.pt (not shipped: the optimizers and, with --ema-decay, the generator's
own last weights) so that --resume can continue a run for longer.
"""
from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from PIL import Image
from safetensors.torch import load_file, save_file
from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn

from backend.data.splits import DATASETS, load_split, to_model_range
from backend.frechet import FeatureClassifier, extract_features, frechet_distance
from backend.gan import LATENT_DIM, PIXEL_RANGE, Critic, Generator, generate, gradient_penalty
from backend.tensor_images import to_uint8
from backend import paths
from backend.train import common


@dataclass(kw_only=True)
class Config(common.TorchTrainingConfig):
    dataset: str = common.flag(choices=DATASETS)
    out: Path = common.flag(help="output directory")
    dry_run: bool = common.flag(False, "a few steps on a subset, for tests")
    classifier: Path | None = common.flag(
        None, "feature classifier weights (default: assets/gan/classifier-DATASET)")
    max_steps: int | None = common.flag(
        None, "total generator steps (default 20,000; 2 for --dry-run)")
    max_minutes: float = common.flag(20.0, "wall-clock budget")
    batch_size: int = 32
    n_critic: int = common.flag(5, "critic steps per generator step")
    gp_weight: float = 10.0
    lr: float = 2e-4
    latent_dim: int = LATENT_DIM
    width: int = common.flag(32, "channels of the first conv layer")
    eval_samples: int = 10_000
    log_every: int = common.flag(50, "generator steps per loss entry")
    checkpoint_minutes: float = 5.0
    resume: bool = common.flag(False, "continue the run saved in --out (same hyperparameters)")
    ema_decay: float = common.flag(
        0.0, "ship an exponential moving average of the generator's weights with this decay "
             "per step, e.g. 0.999 (0: the last weights)")


def main(argv: list[str] | None = None) -> dict:
    return run(common.parse(Config, __doc__, argv), common.command("gan", argv))


def train(config: Config, real: torch.Tensor, generator: Generator, critic: Critic,
          optimizers: dict[str, torch.optim.Optimizer], record: dict,
          average: AveragedModel | None) -> None:
    """Algorithm 1 of Gulrajani et al.; appends to record["losses"], updates the generator's
    moving `average` (if any) after each generator step, and saves a checkpoint into
    config.out every --checkpoint-minutes, so a stopped run can be resumed."""
    def noise() -> torch.Tensor:
        return torch.randn(config.batch_size, config.latent_dim)

    start, last_checkpoint = time.perf_counter(), time.perf_counter()
    seconds_before = record["train_seconds"]
    while (record["generator_steps"] < config.max_steps
           and time.perf_counter() - start < config.max_minutes * 60):
        for _ in range(config.n_critic):
            batch = real[torch.randint(len(real), (config.batch_size,))]
            fake = generator(noise()).detach()
            # The critic maximises E[D(real)] - E[D(fake)], the Wasserstein-1 estimate.
            wasserstein = critic(batch).mean() - critic(fake).mean()
            penalty = gradient_penalty(critic, batch, fake)
            optimizers["critic"].zero_grad()
            (-wasserstein + config.gp_weight * penalty).backward()
            optimizers["critic"].step()
        g_loss = -critic(generator(noise())).mean()
        optimizers["generator"].zero_grad()
        g_loss.backward()
        optimizers["generator"].step()
        if average is not None:
            average.update_parameters(generator)
        record["generator_steps"] += 1
        record["train_seconds"] = round(seconds_before + time.perf_counter() - start, 1)
        if record["generator_steps"] % config.log_every == 0:
            entry = {"step": record["generator_steps"], "seconds": record["train_seconds"],
                     "wasserstein": round(wasserstein.item(), 4),
                     "gradient_penalty": round(penalty.item(), 4),
                     "generator_loss": round(g_loss.item(), 4)}
            record["losses"].append(entry)
            print(json.dumps(entry), flush=True)
        if time.perf_counter() - last_checkpoint > config.checkpoint_minutes * 60:
            save_checkpoint(config.out, generator, critic, optimizers, record, average)
            last_checkpoint = time.perf_counter()


def save_checkpoint(out: Path, generator: Generator, critic: Critic,
                    optimizers: dict[str, torch.optim.Optimizer], record: dict,
                    average: AveragedModel | None = None) -> None:
    """The shipped weights as .safetensors (the moving average's generator, if any), and
    what only a resumed run needs as training_state.pt (not shipped)."""
    out.mkdir(parents=True, exist_ok=True)
    shipped = generator if average is None else average.module
    save_file(shipped.state_dict(), out / "generator.safetensors")
    save_file(critic.state_dict(), out / "critic.safetensors")
    state = {name: optimizer.state_dict() for name, optimizer in optimizers.items()}
    if average is not None:
        state["last_generator"] = generator.state_dict()
    torch.save(state, out / "training_state.pt")
    common.write_record(out / "record.json", record)


def training_state(out: Path) -> dict:
    """What save_checkpoint kept for a resumed run; empty in a fresh clone (not shipped)."""
    path = out / "training_state.pt"
    return torch.load(path, weights_only=True) if path.exists() else {}


def resume(out: Path, generator: Generator, critic: Critic,
           optimizers: dict[str, torch.optim.Optimizer]) -> dict:
    """Load a checkpoint written by save_checkpoint; returns its record. Without the
    training state (a fresh clone: it is not shipped) the run goes on from the shipped
    weights with fresh optimizers."""
    generator.load_state_dict(load_file(out / "generator.safetensors"))
    critic.load_state_dict(load_file(out / "critic.safetensors"))
    if state := training_state(out):
        for name, optimizer in optimizers.items():
            optimizer.load_state_dict(state[name])
        if "last_generator" in state:
            generator.load_state_dict(state["last_generator"])
    return json.loads((out / "record.json").read_text())


def frechet_figures(config: Config, generator: Generator, train_real: torch.Tensor,
                    test_real: torch.Tensor) -> dict:
    """Fréchet distances to the test split: trained generator, train split, untrained generator."""
    classifier = FeatureClassifier()
    classifier.load_state_dict(load_file(paths.REPO_ROOT / config.classifier))
    classifier.eval()
    test_features = extract_features(classifier, test_real)
    latents = torch.randn(config.eval_samples, config.latent_dim,
                          generator=torch.Generator().manual_seed(config.seed + 1))
    torch.manual_seed(config.seed)  # the untrained generator starts where training started
    untrained = Generator(config.latent_dim, config.width).eval()

    def distance(images: torch.Tensor) -> float:
        return round(frechet_distance(extract_features(classifier, images), test_features), 3)

    return {
        "generated_vs_test": distance(generate(generator, latents)),
        "train_vs_test_floor": distance(train_real[:config.eval_samples]),
        "untrained_generator_vs_test_ceiling": distance(generate(untrained, latents)),
        "samples": config.eval_samples, "test_size": len(test_real),
        "classifier": str(config.classifier),
    }


def save_sample_grid(generator: Generator, latent_dim: int, path: Path, side: int = 8) -> None:
    """An 8x8 grid of samples from seeded latents, to look at the result."""
    z = torch.randn(side * side, latent_dim, generator=torch.Generator().manual_seed(0))
    tiles = to_uint8(generate(generator, z), PIXEL_RANGE, channels_first=True)
    grid = tiles.reshape(side, side, 28, 28).transpose(0, 2, 1, 3).reshape(side * 28, side * 28)
    Image.fromarray(grid).resize((side * 56, side * 56), Image.NEAREST).save(path)


def run(config: Config, command: str) -> dict:
    """Train (or resume), measure, and write weights, record and samples to config.out."""
    if config.classifier is None:
        # relative to the repository, as the record states it; opened from there below
        config.classifier = Path("assets/gan") / f"classifier-{config.dataset}.safetensors"
    classifier_path = paths.REPO_ROOT / config.classifier  # an absolute --classifier stays
    if config.max_steps is None:
        config.max_steps = 2 if config.dry_run else 20_000
    if config.dry_run:
        config.eval_samples, config.log_every = 256, 1
    if not classifier_path.exists():
        sys.exit(f"{classifier_path} is missing: run backend.train.gan_classifier first")
    torch.set_num_threads(config.threads)
    train_images, _ = load_split(config.dataset, "train")
    test_images, _ = load_split(config.dataset, "test")
    if config.dry_run:
        train_images, test_images = train_images[:512], test_images[:256]
    # Shuffle once (seeded) so the floor baseline's train subset covers every class.
    train_images = train_images[np.random.default_rng(config.seed).permutation(len(train_images))]
    train_real, test_real = to_model_range(train_images), to_model_range(test_images)

    common.seed_everything(config.seed)
    generator, critic = Generator(config.latent_dim, config.width), Critic(config.width)
    adam = dict(lr=config.lr, betas=(0.5, 0.9))
    optimizers = {"generator": torch.optim.Adam(generator.parameters(), **adam),
                  "critic": torch.optim.Adam(critic.parameters(), **adam)}
    if config.resume:
        record = resume(config.out, generator, critic, optimizers)
        record["commands"].append(command)
        torch.manual_seed(config.seed + record["generator_steps"])  # fresh noise, not a replay
    else:
        record = {
            "commands": [command],
            "paper": "Gulrajani et al. 2017, Improved Training of Wasserstein GANs (WGAN-GP)",
            "data": config.dataset, "train_size": len(train_real), "seed": config.seed,
            "hyperparameters": {k: getattr(config, k) for k in (
                "batch_size", "n_critic", "gp_weight", "lr", "latent_dim", "width", "threads")},
            "generator_steps": 0, "train_seconds": 0.0, "losses": []}

    # The average starts from the weights the run starts (or resumes) from.
    average = None if not config.ema_decay else AveragedModel(
        generator, multi_avg_fn=get_ema_multi_avg_fn(config.ema_decay), use_buffers=True)
    if average is not None and config.resume and "last_generator" in training_state(config.out):
        # go on from the shipped average, not from the last weights
        average.module.load_state_dict(load_file(config.out / "generator.safetensors"))
        average.n_averaged.fill_(1)  # a count of 0 would make the next update a plain copy
    record["ema_decay"] = config.ema_decay  # of the last command: what generator is shipped
    generator.train()
    critic.train()
    train(config, train_real, generator, critic, optimizers, record, average)
    critic.eval()
    shipped = (generator if average is None else average.module).eval()
    record["epochs"] = round(record["generator_steps"] * config.n_critic * config.batch_size
                             / len(train_real), 2)
    record["frechet"] = frechet_figures(config, shipped, train_real, test_real)
    save_checkpoint(config.out, generator, critic, optimizers, record, average)
    save_sample_grid(shipped, config.latent_dim, config.out / "samples.png")
    print(json.dumps(record["frechet"]), flush=True)
    return record


if __name__ == "__main__":
    main()
