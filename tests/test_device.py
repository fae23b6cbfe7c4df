"""The one device rule (backend.device): DEMO_DEVICE picks the device or says clearly what to
set, and the CPU thread budget follows DEMO_TORCH_THREADS. Real torch on this machine, no
mocks: what is unavailable here (CUDA on a CPU machine, MPS off a Mac) must be refused."""

from __future__ import annotations

import os

import pytest
import torch

from backend import device


@pytest.fixture
def fresh_choice(monkeypatch):
    """get_device decides once per process: forget that choice here and after the test."""
    device.get_device.cache_clear()
    yield monkeypatch
    device.get_device.cache_clear()


def test_demo_device_cpu_is_used_as_given_spaces_and_all(fresh_choice):
    fresh_choice.setenv("DEMO_DEVICE", "  cpu ")
    assert device.get_device() == torch.device("cpu")
    assert device.device_label() == "cpu"


def test_without_demo_device_the_best_available_device_is_chosen(fresh_choice):
    fresh_choice.delenv("DEMO_DEVICE", raising=False)
    expected = ("cuda" if torch.cuda.is_available()
                else "mps" if torch.backends.mps.is_available() else "cpu")
    assert device.get_device().type == expected


@pytest.mark.parametrize("requested, message", [
    ("banana", "is not a device name; use cpu, cuda, cuda:N or mps"),
    ("meta", "the gallery runs on cpu, cuda or mps"),
])
def test_a_device_the_gallery_cannot_use_is_refused_with_what_to_set(fresh_choice, requested,
                                                                      message):
    fresh_choice.setenv("DEMO_DEVICE", requested)
    with pytest.raises(device.DeviceError, match=message):
        device.get_device()


def test_a_cuda_device_this_machine_lacks_is_refused_with_the_count(fresh_choice):
    count = torch.cuda.device_count() if torch.cuda.is_available() else 0
    fresh_choice.setenv("DEMO_DEVICE", f"cuda:{count}")  # one past the last
    with pytest.raises(device.DeviceError,
                       match=f"this machine has {count} usable CUDA device\\(s\\); unset it or "
                             "use cpu$"):
        device.get_device()
    if count == 0:  # plain "cuda" is cuda:0, which a CPU machine lacks too
        fresh_choice.setenv("DEMO_DEVICE", "cuda")
        device.get_device.cache_clear()
        with pytest.raises(device.DeviceError, match="0 usable CUDA"):
            device.get_device()


@pytest.mark.skipif(torch.backends.mps.is_available(), reason="this machine has MPS")
def test_mps_off_a_mac_is_refused(fresh_choice):
    fresh_choice.setenv("DEMO_DEVICE", "mps")
    with pytest.raises(device.DeviceError,
                       match="MPS is not available here; unset it or use cpu$"):
        device.get_device()


def test_choosing_the_device_sets_the_cpu_thread_budget(fresh_choice):
    before = torch.get_num_threads()
    try:
        fresh_choice.setenv("DEMO_DEVICE", "cpu")
        fresh_choice.setenv("DEMO_TORCH_THREADS", "1")
        device.get_device()
        assert torch.get_num_threads() == 1
    finally:
        torch.set_num_threads(before)


@pytest.mark.parametrize("setting, threads", [("3", 3), ("0", os.cpu_count()),
                                              (None, os.cpu_count())])
def test_cpu_threads_follow_demo_torch_threads_else_every_core(monkeypatch, setting, threads):
    if setting is None:
        monkeypatch.delenv("DEMO_TORCH_THREADS", raising=False)
    else:
        monkeypatch.setenv("DEMO_TORCH_THREADS", setting)
    assert device.cpu_threads() == threads


def test_model_device_is_where_the_weights_are():
    assert device.model_device(torch.nn.Linear(2, 2)) == torch.device("cpu")
    assert device.model_device(torch.nn.Linear(2, 2).to("meta")) == torch.device("meta")


def test_first_pass_runs_the_forward_once_without_gradients():
    calls = []
    weights = torch.ones(2, requires_grad=True)

    def forward():
        calls.append((weights * 2).requires_grad)

    device.first_pass(forward)
    assert calls == [False]
