"""Every training CLI in backend/train follows backend.train.common: one flag per field of its
Config, defaulting to that field's default, and a record command that reruns it."""

import dataclasses
import importlib
import json
import pkgutil
import shlex
import sys
from pathlib import Path

import pytest

import backend.train
from backend.train import common

CLIS = sorted(name for _, name, _ in pkgutil.iter_modules(backend.train.__path__)
              if name != "common")


def cli(name: str):
    module = importlib.import_module(f"backend.train.{name}")
    if not hasattr(module, "main"):
        pytest.skip(f"backend.train.{name} has no main()")
    return module


def required_values(config: type[common.TrainingConfig]) -> dict:
    """A value for each field without a default: its first choice, or a path with a space."""
    return {field.name: field.metadata["choices"][0] if "choices" in field.metadata
            else Path("some dir/out") for field in dataclasses.fields(config)
            if field.default is dataclasses.MISSING}


def as_argv(values: dict) -> list[str]:
    argv = []
    for name, value in values.items():
        flag = "--" + name.replace("_", "-")
        if value is True:
            argv.append(flag)
        elif value is not None and value is not False:
            argv += [flag, str(value)]
    return argv


def run_main(module, monkeypatch, argv: list[str] | None) -> tuple[common.TrainingConfig, str]:
    """What module.main(argv) hands to the trainer body, without training."""
    seen = {}
    monkeypatch.setattr(module, "run", lambda config, command: seen.update(
        config=config, command=command))
    module.main(argv)
    return seen["config"], seen["command"]


@pytest.mark.parametrize("name", CLIS)
def test_flags_default_to_the_config_and_the_command_reruns_it(name, monkeypatch):
    module = cli(name)
    assert issubclass(module.Config, common.TrainingConfig)
    required = required_values(module.Config)
    argv = as_argv(required)
    config, command = run_main(module, monkeypatch, argv)
    assert config == module.Config(**required)
    assert command == f"python -m backend.train.{name} " + shlex.join(argv)

    monkeypatch.setattr(sys, "argv", ["anything", *argv])
    assert run_main(module, monkeypatch, None)[1] == command


@pytest.mark.parametrize("name", CLIS)
def test_help_lists_every_flag_with_its_help_text(name, capsys, monkeypatch):
    module = cli(name)
    monkeypatch.setenv("COLUMNS", "10000")  # argparse wraps help to the terminal's width
    with pytest.raises(SystemExit) as exit:
        module.main(["--help"])
    assert exit.value.code == 0
    shown = capsys.readouterr().out
    for field in dataclasses.fields(module.Config):
        assert "--" + field.name.replace("_", "-") in shown
        assert field.metadata.get("help", "") in shown, field.name


@pytest.mark.parametrize("name", CLIS)
def test_every_field_parses_back_to_its_type(name, monkeypatch):
    module = cli(name)
    values = {**dataclasses.asdict(module.Config(**required_values(module.Config))),
              "dry_run": True}
    config, _ = run_main(module, monkeypatch, as_argv(values))
    assert dataclasses.asdict(config) == values
    for field in dataclasses.fields(config):
        if values[field.name] is not None:
            assert type(getattr(config, field.name)) is type(values[field.name]), field.name


def test_a_dry_run_records_the_command(tmp_path):
    from backend.train import gan_classifier

    argv = ["--dataset", "fashion", "--dry-run", "--epochs", "1",
            "--out", str(tmp_path / "a folder" / "classifier.safetensors")]
    record = gan_classifier.main(argv)
    saved = json.loads((tmp_path / "a folder" / "classifier.json").read_text())
    assert saved == record
    assert record["command"] == "python -m backend.train.gan_classifier " + shlex.join(argv)
