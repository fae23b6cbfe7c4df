"""Train the small classifier whose features measure GAN quality (backend/frechet.py).

    python -m backend.train.gan_classifier --dataset fashion --seed 0 \
        --out assets/gan/classifier-fashion.safetensors

Writes the weights and a JSON record (command, data, seed, epochs, test accuracy) next to them.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import torch
from safetensors.torch import save_file
from torch.nn import functional as F

from backend.data.splits import DATASETS, load_split, to_model_range
from backend.frechet import FeatureClassifier


@torch.no_grad()
def accuracy(model: FeatureClassifier, images: torch.Tensor, labels: torch.Tensor) -> float:
    predictions = torch.cat([model(chunk).argmax(1) for chunk in images.split(1000)])
    return (predictions == labels).float().mean().item()


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dataset", choices=DATASETS, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True, help="weights .safetensors path")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads")
    parser.add_argument("--dry-run", action="store_true", help="a few batches, for tests")
    args = parser.parse_args(argv)

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    train_images, train_labels = load_split(args.dataset, "train")
    test_images, test_labels = load_split(args.dataset, "test")
    if args.dry_run:
        train_images, train_labels = train_images[:512], train_labels[:512]
        test_images, test_labels = test_images[:256], test_labels[:256]
    x_train, y_train = to_model_range(train_images), torch.from_numpy(train_labels)
    x_test, y_test = to_model_range(test_images), torch.from_numpy(test_labels)

    model = FeatureClassifier()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    start = time.perf_counter()
    for epoch in range(args.epochs):
        model.train()
        for batch in torch.randperm(len(x_train)).split(args.batch_size):
            loss = F.cross_entropy(model(x_train[batch]), y_train[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        model.eval()
        test_accuracy = accuracy(model, x_test, y_test)
        print(f"epoch {epoch + 1}/{args.epochs} loss {loss.item():.3f} "
              f"test accuracy {test_accuracy:.4f}", flush=True)

    args.out.parent.mkdir(parents=True, exist_ok=True)
    save_file(model.state_dict(), args.out)
    record = {
        "command": "python -m backend.train.gan_classifier " + " ".join(sys.argv[1:] if argv is None else argv),
        "data": args.dataset, "train_size": len(x_train), "test_size": len(x_test),
        "seed": args.seed, "epochs": args.epochs, "batch_size": args.batch_size,
        "test_accuracy": round(test_accuracy, 4),
        "train_seconds": round(time.perf_counter() - start, 1),
    }
    args.out.with_suffix(".json").write_text(json.dumps(record, indent=2) + "\n")
    return record


if __name__ == "__main__":
    main()
