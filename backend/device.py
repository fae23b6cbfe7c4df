"""Picks the compute device once per process: cuda > mps > cpu.

The environment variable DEMO_DEVICE (e.g. "cpu" or "cuda:1") overrides the choice, which is
how tests pin everything to the CPU and how a lecturer can rule out a flaky GPU driver.
"""

from __future__ import annotations

import functools
import os

import torch


@functools.cache
def get_device() -> torch.device:
    """The device every model of the gallery lives on."""
    _limit_cpu_threads()
    requested = os.environ.get("DEMO_DEVICE", "").strip()
    if requested:
        return torch.device(requested)
    if torch.cuda.is_available():
        return torch.device("cuda")
    if torch.backends.mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def device_label() -> str:
    """A short human-readable name of the device, e.g. "cpu" or "cuda (NVIDIA H100)"."""
    device = get_device()
    if device.type == "cuda":
        return f"cuda ({torch.cuda.get_device_name(device)})"
    return device.type


def _limit_cpu_threads() -> None:
    # Streamlit serves many sessions from one process; torch's default of one thread per core
    # per call makes concurrent requests fight. DEMO_TORCH_THREADS lets a deployment tune it.
    threads = int(os.environ.get("DEMO_TORCH_THREADS", "0")) or (os.cpu_count() or 1)
    torch.set_num_threads(threads)
