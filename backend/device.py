"""The one rule for the compute device: cuda > mps > cpu, chosen once per process.

The environment variable DEMO_DEVICE (e.g. "cpu" or "cuda:1") overrides the choice, which is
how tests pin everything to the CPU and how a lecturer can rule out a flaky GPU driver. A
DEMO_DEVICE this machine cannot use raises `DeviceError`, whose message says what to set.
Models live on this device; every backend function moves its inputs to its model's device.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable

import torch


class DeviceError(RuntimeError):
    """DEMO_DEVICE names a device this machine cannot use."""


@functools.cache
def get_device() -> torch.device:
    """The device every model of the gallery lives on."""
    _limit_cpu_threads()
    requested = os.environ.get("DEMO_DEVICE", "").strip()
    if requested:
        return _usable(requested)
    if torch.cuda.is_available():
        return torch.device("cuda")
    if torch.backends.mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def _usable(requested: str) -> torch.device:
    try:
        device = torch.device(requested)
    except RuntimeError:
        raise DeviceError(f"DEMO_DEVICE={requested!r} is not a device name; "
                          "use cpu, cuda, cuda:N or mps, or leave it unset") from None
    if device.type == "cuda":
        count = torch.cuda.device_count() if torch.cuda.is_available() else 0
        if (device.index or 0) >= count:
            raise DeviceError(f"DEMO_DEVICE={requested!r}, but this machine has "
                              f"{count} usable CUDA device(s); unset it or use cpu")
    elif device.type == "mps" and not torch.backends.mps.is_available():
        raise DeviceError(f"DEMO_DEVICE={requested!r}, but MPS is not available here; "
                          "unset it or use cpu")
    elif device.type not in ("cpu", "cuda", "mps"):
        raise DeviceError(f"DEMO_DEVICE={requested!r}: the gallery runs on cpu, cuda or mps")
    return device


def model_device(model: torch.nn.Module) -> torch.device:
    """Where `model`'s weights are: inputs go there before a forward pass."""
    return next(model.parameters()).device


@torch.no_grad()
def first_pass(forward: Callable[[], object]) -> None:
    """Run one small forward pass at load time, so that a GPU's lazy start-up (kernels, the
    memory pool) is paid by the warm-up instead of the first visitor. Also runs on the CPU,
    where it is cheap and checks the loaded model end to end."""
    forward()
    if get_device().type == "cuda":
        torch.cuda.synchronize()


def device_label() -> str:
    """A short human-readable name of the device, e.g. "cpu" or "cuda (NVIDIA H100)"."""
    device = get_device()
    if device.type == "cuda":
        return f"cuda ({torch.cuda.get_device_name(device)})"
    return device.type


def cpu_threads() -> int:
    """How many threads one model call may use on the CPU, torch and onnxruntime alike.

    Streamlit serves many sessions from one process; the default of one thread per core per
    call makes concurrent requests fight. DEMO_TORCH_THREADS lets a deployment tune it."""
    return int(os.environ.get("DEMO_TORCH_THREADS", "0")) or (os.cpu_count() or 1)


def _limit_cpu_threads() -> None:
    torch.set_num_threads(cpu_threads())
