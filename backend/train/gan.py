"""Train a WGAN-GP (Gulrajani et al. 2017) on Fashion-MNIST or the MNIST digits.

    python -m backend.train.gan --dataset fashion --seed 0 --out assets/gan/fashion \
        --max-minutes 15

Algorithm 1 of the paper: n_critic critic steps per generator step, gradient penalty
weight 10, Adam with beta1 = 0.5, beta2 = 0.9. Training stops after --max-steps generator
steps or --max-minutes, whichever comes first. Then the Fréchet distance is measured in the
feature space of the data set's classifier (backend.train.gan_classifier, trained first)
between 10,000 generated images and the test split, beside two baselines in the same
space: the training split (the floor) and an untrained generator (the ceiling).

Writes OUT/generator.safetensors, OUT/critic.safetensors, OUT/record.json, OUT/samples.png,
and OUT/optimizers.pt (not shipped) so that --resume can continue a run for longer.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch
from PIL import Image
from safetensors.torch import load_file, save_file

from backend.data.splits import DATASETS, load_split, to_model_range
from backend.frechet import FeatureClassifier, extract_features, frechet_distance
from backend.gan import Critic, Generator, generate, gradient_penalty, to_uint8


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dataset", choices=DATASETS, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True, help="output directory")
    parser.add_argument("--classifier", type=Path,
                        help="feature classifier weights (default: assets/gan/classifier-DATASET)")
    parser.add_argument("--max-steps", type=int,
                        help="total generator steps (default 20,000; 2 for --dry-run)")
    parser.add_argument("--max-minutes", type=float, default=20.0, help="wall-clock budget")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--n-critic", type=int, default=5, help="critic steps per generator step")
    parser.add_argument("--gp-weight", type=float, default=10.0)
    parser.add_argument("--lr", type=float, default=2e-4)
    parser.add_argument("--latent-dim", type=int, default=64)
    parser.add_argument("--width", type=int, default=32, help="channels of the first conv layer")
    parser.add_argument("--eval-samples", type=int, default=10_000)
    parser.add_argument("--threads", type=int, default=1,
                        help="torch CPU threads (1 is fastest on a shared 2-core machine)")
    parser.add_argument("--log-every", type=int, default=50, help="generator steps per loss entry")
    parser.add_argument("--checkpoint-minutes", type=float, default=5.0)
    parser.add_argument("--resume", action="store_true",
                        help="continue the run saved in --out (same hyperparameters)")
    parser.add_argument("--dry-run", action="store_true", help="a few steps on a subset, for tests")
    args = parser.parse_args(argv)
    if args.classifier is None:
        args.classifier = Path("assets/gan") / f"classifier-{args.dataset}.safetensors"
    if args.max_steps is None:
        args.max_steps = 2 if args.dry_run else 20_000
    if args.dry_run:
        args.eval_samples, args.log_every = 256, 1
    return args


def train(args: argparse.Namespace, real: torch.Tensor, generator: Generator, critic: Critic,
          optimizers: dict[str, torch.optim.Optimizer], record: dict) -> None:
    """Algorithm 1 of Gulrajani et al.; appends to record["losses"] and saves a checkpoint
    into args.out every --checkpoint-minutes, so a stopped run can be resumed."""
    def noise() -> torch.Tensor:
        return torch.randn(args.batch_size, args.latent_dim)

    start, last_checkpoint = time.perf_counter(), time.perf_counter()
    seconds_before = record["train_seconds"]
    while (record["generator_steps"] < args.max_steps
           and time.perf_counter() - start < args.max_minutes * 60):
        for _ in range(args.n_critic):
            batch = real[torch.randint(len(real), (args.batch_size,))]
            fake = generator(noise()).detach()
            # The critic maximises E[D(real)] - E[D(fake)], the Wasserstein-1 estimate.
            wasserstein = critic(batch).mean() - critic(fake).mean()
            penalty = gradient_penalty(critic, batch, fake)
            optimizers["critic"].zero_grad()
            (-wasserstein + args.gp_weight * penalty).backward()
            optimizers["critic"].step()
        g_loss = -critic(generator(noise())).mean()
        optimizers["generator"].zero_grad()
        g_loss.backward()
        optimizers["generator"].step()
        record["generator_steps"] += 1
        record["train_seconds"] = round(seconds_before + time.perf_counter() - start, 1)
        if record["generator_steps"] % args.log_every == 0:
            entry = {"step": record["generator_steps"], "seconds": record["train_seconds"],
                     "wasserstein": round(wasserstein.item(), 4),
                     "gradient_penalty": round(penalty.item(), 4),
                     "generator_loss": round(g_loss.item(), 4)}
            record["losses"].append(entry)
            print(json.dumps(entry), flush=True)
        if time.perf_counter() - last_checkpoint > args.checkpoint_minutes * 60:
            save_checkpoint(args.out, generator, critic, optimizers, record)
            last_checkpoint = time.perf_counter()


def save_checkpoint(out: Path, generator: Generator, critic: Critic,
                    optimizers: dict[str, torch.optim.Optimizer], record: dict) -> None:
    """Weights as .safetensors (shipped), optimizer state as optimizers.pt (not shipped)."""
    out.mkdir(parents=True, exist_ok=True)
    save_file(generator.state_dict(), out / "generator.safetensors")
    save_file(critic.state_dict(), out / "critic.safetensors")
    torch.save({name: optimizer.state_dict() for name, optimizer in optimizers.items()},
               out / "optimizers.pt")
    (out / "record.json").write_text(json.dumps(record, indent=2) + "\n")


def resume(out: Path, generator: Generator, critic: Critic,
           optimizers: dict[str, torch.optim.Optimizer]) -> dict:
    """Load a checkpoint written by save_checkpoint; returns its record."""
    generator.load_state_dict(load_file(out / "generator.safetensors"))
    critic.load_state_dict(load_file(out / "critic.safetensors"))
    if (out / "optimizers.pt").exists():
        states = torch.load(out / "optimizers.pt", weights_only=True)
        for name, optimizer in optimizers.items():
            optimizer.load_state_dict(states[name])
    return json.loads((out / "record.json").read_text())


def frechet_figures(args: argparse.Namespace, generator: Generator, train_real: torch.Tensor,
                    test_real: torch.Tensor) -> dict:
    """Fréchet distances to the test split: trained generator, train split, untrained generator."""
    classifier = FeatureClassifier()
    classifier.load_state_dict(load_file(args.classifier))
    classifier.eval()
    test_features = extract_features(classifier, test_real)
    latents = torch.randn(args.eval_samples, args.latent_dim,
                          generator=torch.Generator().manual_seed(args.seed + 1))
    torch.manual_seed(args.seed)  # the untrained generator starts where training started
    untrained = Generator(args.latent_dim, args.width).eval()

    def distance(images: torch.Tensor) -> float:
        return round(frechet_distance(extract_features(classifier, images), test_features), 3)

    return {
        "generated_vs_test": distance(generate(generator, latents)),
        "train_vs_test_floor": distance(train_real[:args.eval_samples]),
        "untrained_generator_vs_test_ceiling": distance(generate(untrained, latents)),
        "samples": args.eval_samples, "test_size": len(test_real),
        "classifier": str(args.classifier),
    }


def save_sample_grid(generator: Generator, latent_dim: int, path: Path, side: int = 8) -> None:
    """An 8x8 grid of samples from seeded latents, to look at the result."""
    z = torch.randn(side * side, latent_dim, generator=torch.Generator().manual_seed(0))
    tiles = to_uint8(generate(generator, z))
    grid = tiles.reshape(side, side, 28, 28).transpose(0, 2, 1, 3).reshape(side * 28, side * 28)
    Image.fromarray(grid).resize((side * 56, side * 56), Image.NEAREST).save(path)


def main(argv: list[str] | None = None) -> dict:
    args = parse_args(argv)
    if not args.classifier.exists():
        sys.exit(f"{args.classifier} is missing: run backend.train.gan_classifier first")
    torch.set_num_threads(args.threads)
    train_images, _ = load_split(args.dataset, "train")
    test_images, _ = load_split(args.dataset, "test")
    if args.dry_run:
        train_images, test_images = train_images[:512], test_images[:256]
    # Shuffle once (seeded) so the floor baseline's train subset covers every class.
    train_images = train_images[np.random.default_rng(args.seed).permutation(len(train_images))]
    train_real, test_real = to_model_range(train_images), to_model_range(test_images)

    torch.manual_seed(args.seed)
    generator, critic = Generator(args.latent_dim, args.width), Critic(args.width)
    adam = dict(lr=args.lr, betas=(0.5, 0.9))
    optimizers = {"generator": torch.optim.Adam(generator.parameters(), **adam),
                  "critic": torch.optim.Adam(critic.parameters(), **adam)}
    command = "python -m backend.train.gan " + " ".join(sys.argv[1:] if argv is None else argv)
    if args.resume:
        record = resume(args.out, generator, critic, optimizers)
        record["commands"].append(command)
        torch.manual_seed(args.seed + record["generator_steps"])  # fresh noise, not a replay
    else:
        record = {
            "commands": [command],
            "paper": "Gulrajani et al. 2017, Improved Training of Wasserstein GANs (WGAN-GP)",
            "data": args.dataset, "train_size": len(train_real), "seed": args.seed,
            "hyperparameters": {k: getattr(args, k) for k in (
                "batch_size", "n_critic", "gp_weight", "lr", "latent_dim", "width", "threads")},
            "generator_steps": 0, "train_seconds": 0.0, "losses": []}

    generator.train()
    critic.train()
    train(args, train_real, generator, critic, optimizers, record)
    generator.eval()
    critic.eval()
    record["epochs"] = round(record["generator_steps"] * args.n_critic * args.batch_size
                             / len(train_real), 2)
    record["frechet"] = frechet_figures(args, generator, train_real, test_real)
    save_checkpoint(args.out, generator, critic, optimizers, record)
    save_sample_grid(generator, args.latent_dim, args.out / "samples.png")
    print(json.dumps(record["frechet"]), flush=True)
    return record


if __name__ == "__main__":
    main()
