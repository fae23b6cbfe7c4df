"""Train the small classifier whose features measure GAN quality (backend/frechet.py).

    python -m backend.train.gan_classifier --dataset fashion --seed 0 \
        --out assets/gan/classifier-fashion.safetensors

Writes the weights and a JSON record (command, data, seed, epochs, test accuracy) next to them.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import torch
from safetensors.torch import save_file
from torch.nn import functional as F

from backend.data.splits import DATASETS, load_split, to_model_range
from backend.frechet import FeatureClassifier
from backend.train import common


@dataclass(kw_only=True)
class Config(common.TorchTrainingConfig):
    dataset: str = common.flag(choices=DATASETS)
    out: Path = common.flag(help="weights .safetensors path")
    dry_run: bool = common.flag(False, "a few batches, for tests")
    epochs: int = 2
    batch_size: int = 128
    lr: float = 1e-3


def main(argv: list[str] | None = None) -> dict:
    return run(common.parse(Config, __doc__, argv), common.command("gan_classifier", argv))


@torch.no_grad()
def accuracy(model: FeatureClassifier, images: torch.Tensor, labels: torch.Tensor) -> float:
    predictions = torch.cat([model(chunk).argmax(1) for chunk in images.split(1000)])
    return (predictions == labels).float().mean().item()


def run(config: Config, command: str) -> dict:
    """Train, then write the weights to config.out and the record beside them."""
    torch.set_num_threads(config.threads)
    common.seed_everything(config.seed)
    train_images, train_labels = load_split(config.dataset, "train")
    test_images, test_labels = load_split(config.dataset, "test")
    if config.dry_run:
        train_images, train_labels = train_images[:512], train_labels[:512]
        test_images, test_labels = test_images[:256], test_labels[:256]
    x_train, y_train = to_model_range(train_images), torch.from_numpy(train_labels)
    x_test, y_test = to_model_range(test_images), torch.from_numpy(test_labels)

    model = FeatureClassifier()
    optimizer = torch.optim.Adam(model.parameters(), lr=config.lr)
    start = time.perf_counter()
    for epoch in range(config.epochs):
        model.train()
        for batch in torch.randperm(len(x_train)).split(config.batch_size):
            loss = F.cross_entropy(model(x_train[batch]), y_train[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        model.eval()
        test_accuracy = accuracy(model, x_test, y_test)
        print(f"epoch {epoch + 1}/{config.epochs} loss {loss.item():.3f} "
              f"test accuracy {test_accuracy:.4f}", flush=True)

    config.out.parent.mkdir(parents=True, exist_ok=True)
    save_file(model.state_dict(), config.out)
    record = {
        "command": command,
        "data": config.dataset, "train_size": len(x_train), "test_size": len(x_test),
        "seed": config.seed, "epochs": config.epochs, "batch_size": config.batch_size,
        "test_accuracy": round(test_accuracy, 4),
        "train_seconds": round(time.perf_counter() - start, 1),
    }
    common.write_record(config.out.with_suffix(".json"), record)
    return record


if __name__ == "__main__":
    main()
