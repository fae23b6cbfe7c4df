"""The one convention of the training CLIs in backend/train.

Each CLI declares a `Config` dataclass (subclass of TrainingConfig): its fields are the
hyperparameters, their defaults are stated there and nowhere else, and every field is also
the command-line flag --field-name. main(argv=None) parses argv into a Config with `parse`,
seeds with `seed_everything`, trains, and writes a JSON record beside the weights with
`write_record`, whose "command" (from `command`) reruns the same training.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import random
import shlex
import sys
import typing
from pathlib import Path
from typing import Any

import numpy as np
import torch

C = typing.TypeVar("C", bound="TrainingConfig")


def flag(default: Any = dataclasses.MISSING, help: str = "", **options: Any) -> Any:
    """A Config field with a help text (and argparse options such as choices); without a
    default the flag is required."""
    return dataclasses.field(default=default, metadata={"help": help, **options})


@dataclasses.dataclass(kw_only=True)
class TrainingConfig:
    """The flags every training CLI has. A Config may redeclare one to give it a default."""

    seed: int = flag(0, "seeds Python's, NumPy's and torch's random generators")
    out: Path = flag(help="where the weights and their JSON record are written")
    dry_run: bool = flag(False, "a tiny run, for tests")


@dataclasses.dataclass(kw_only=True)
class TorchTrainingConfig(TrainingConfig):
    """For CLIs that train with torch on the CPU."""

    threads: int = flag(1, "torch CPU threads; more than the idle cores slows training badly")


def parser(config: type[TrainingConfig], doc: str | None) -> argparse.ArgumentParser:
    """An argparse parser with one flag per field of `config`, defaults taken from it (and
    shown in --help, since the Config is the only place that states them)."""
    result = argparse.ArgumentParser(description=(doc or "").strip().splitlines()[0])
    hints = typing.get_type_hints(config)
    for field in dataclasses.fields(config):
        options = dict(field.metadata)
        # argparse %-formats help texts (for %(default)s): a literal % must be doubled
        if "help" in options:
            options["help"] = options["help"].replace("%", "%%")
        if field.default is dataclasses.MISSING:
            options["required"] = True
        else:
            options["default"] = field.default
            if field.default is not None and field.default is not False:
                options["help"] = f"{options.get('help', '')} (default: %(default)s)".lstrip()
        kind = hints[field.name]
        if kind is bool:
            options["action"] = "store_true"
        else:  # `int | None` parses as int
            options.setdefault("type", next(
                (t for t in typing.get_args(kind) if t is not type(None)), kind))
        result.add_argument("--" + field.name.replace("_", "-"), **options)
    return result


def parse(config: type[C], doc: str | None, argv: list[str] | None) -> C:
    """The Config that the command line `argv` (default: sys.argv[1:]) asks for."""
    return config(**vars(parser(config, doc).parse_args(argv)))


def command(name: str, argv: list[str] | None) -> str:
    """The shell command that reruns backend.train.<name> with argv (default: sys.argv[1:])."""
    return f"python -m backend.train.{name} " + shlex.join(sys.argv[1:] if argv is None else argv)


def seed_everything(seed: int) -> None:
    """Seed the global generators; trainers still pass their own seeded generators where a
    stream must not depend on what ran before it."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def write_record(path: Path, record: dict) -> None:
    """The JSON record of how the weights beside it were made (command, data, seed, metrics)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=2) + "\n")
