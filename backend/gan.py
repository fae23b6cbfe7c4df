"""Wasserstein GAN with gradient penalty for 28x28 grayscale images, and latent-space walks.

Models follow DCGAN (Radford et al. 2016, "Unsupervised Representation Learning with Deep
Convolutional GANs") scaled down for a CPU, trained as a WGAN-GP (Gulrajani et al. 2017,
"Improved Training of Wasserstein GANs"): the critic is a 1-Lipschitz witness function of
the Kantorovich-Rubinstein dual, so it has no sigmoid and no batch norm (the penalty is
per sample). Spherical interpolation follows White 2016, "Sampling Generative Networks".

Images are float tensors [B, 1, 28, 28] in [-1, 1]; latents are float tensors [B, dim]
drawn from the standard normal prior N(0, I).
"""
from __future__ import annotations

import json
import math
from pathlib import Path
from collections.abc import Iterable
from typing import Literal

import numpy as np
import torch
from safetensors.torch import load_file
from torch import nn

from backend import paths
from backend.device import first_pass, get_device

IMAGE_SIZE = 28
LATENT_DIM = 64
PIXEL_RANGE = (-1.0, 1.0)  # of the images (tanh), for backend.tensor_images.to_uint8
ASSET_DIR = paths.asset("gan")
MODELS = ("fashion", "digits")  # trained by backend.train.gan into ASSET_DIR / name


class Generator(nn.Module):
    """z [B, latent_dim] -> image [B, 1, 28, 28] in [-1, 1] (tanh).

    Project and reshape to 7x7, then two stride-2 transposed convolutions (7 -> 14 -> 28),
    batch norm + ReLU in between as in DCGAN.
    """

    def __init__(self, latent_dim: int, width: int) -> None:
        super().__init__()
        self.latent_dim = latent_dim
        self.width = width
        self.project = nn.Sequential(
            nn.Linear(latent_dim, 2 * width * 7 * 7, bias=False),
            nn.BatchNorm1d(2 * width * 7 * 7),
            nn.ReLU(inplace=True),
        )
        self.upsample = nn.Sequential(
            nn.ConvTranspose2d(2 * width, width, 4, stride=2, padding=1, bias=False),
            nn.BatchNorm2d(width),
            nn.ReLU(inplace=True),
            nn.ConvTranspose2d(width, 1, 4, stride=2, padding=1),
            nn.Tanh(),
        )

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        x = self.project(z).view(-1, 2 * self.width, 7, 7)
        return self.upsample(x)


class Critic(nn.Module):
    """image [B, 1, 28, 28] in [-1, 1] -> score [B] (unbounded; higher = looks more real).

    Two stride-2 convolutions (28 -> 14 -> 7) with leaky ReLU and a linear read-out.
    """

    def __init__(self, width: int) -> None:
        super().__init__()
        self.width = width
        self.features = nn.Sequential(
            nn.Conv2d(1, width, 4, stride=2, padding=1),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(width, 2 * width, 4, stride=2, padding=1),
            nn.LeakyReLU(0.2, inplace=True),
        )
        self.score = nn.Linear(2 * width * 7 * 7, 1)

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return self.score(self.features(images).flatten(1)).squeeze(1)


def gradient_penalty(critic: Critic, real: torch.Tensor, fake: torch.Tensor) -> torch.Tensor:
    """Mean of (||grad_x critic(x)||_2 - 1)^2 at random points x between real and fake images.

    Gulrajani et al. 2017, eq. 3: a soft version of the 1-Lipschitz constraint.
    """
    alpha = torch.rand(real.shape[0], 1, 1, 1, device=real.device)
    mixed = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
    grad, = torch.autograd.grad(critic(mixed).sum(), mixed, create_graph=True)
    return ((grad.flatten(1).norm(dim=1) - 1) ** 2).mean()


def read_training_record(directory: str | Path) -> dict:
    """The JSON record backend.train.gan wrote next to the weights (sizes, losses, Fréchet)."""
    return json.loads((Path(directory) / "record.json").read_text())


def load_models(directory: str | Path, device: torch.device | str = "cpu"
                ) -> tuple[Generator, Critic]:
    """Trained (generator, critic) from a backend.train.gan output directory, frozen in eval mode.

    The sizes come from the directory's record.json, the weights from its .safetensors files.
    """
    directory = Path(directory)
    sizes = read_training_record(directory)["hyperparameters"]
    generator = Generator(sizes["latent_dim"], sizes["width"])
    critic = Critic(sizes["width"])
    for model, name in ((generator, "generator"), (critic, "critic")):
        model.load_state_dict(load_file(directory / f"{name}.safetensors"))
        model.to(device).eval().requires_grad_(False)
    return generator, critic


def sample_latents(seeds: Iterable[int], dim: int = LATENT_DIM) -> torch.Tensor:
    """One latent per seed from N(0, I): [number of seeds, dim]. The same seed gives the same z."""
    return torch.stack([torch.randn(dim, generator=torch.Generator().manual_seed(int(s)))
                        for s in seeds])


def lerp(z0: torch.Tensor, z1: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
    """Linear interpolation (1 - t) z0 + t z1 for z0, z1 [dim] and t [n] -> [n, dim]."""
    t = t[:, None]
    return (1 - t) * z0 + t * z1


def slerp(z0: torch.Tensor, z1: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
    """Spherical interpolation for z0, z1 [dim] and t [n] -> [n, dim].

    Walks along the great circle between the directions of z0 and z1 while the norm moves
    linearly from ||z0|| to ||z1||, so the path stays on the shell where a d-dimensional
    Gaussian puts its mass (||z|| ~ sqrt(d)); lerp cuts through the low-norm interior.
    Endpoints are returned exactly.
    """
    norm0, norm1 = z0.norm(), z1.norm()
    u0, u1 = z0 / norm0, z1 / norm1
    omega = torch.arccos((u0 @ u1).clamp(-1.0, 1.0))
    t_col = t[:, None]
    if omega < 1e-6:  # (anti)parallel directions: the great circle is not defined
        direction = lerp(u0, u1, t)
        direction = direction / direction.norm(dim=1, keepdim=True)
    else:
        direction = (torch.sin((1 - t_col) * omega) * u0
                     + torch.sin(t_col * omega) * u1) / torch.sin(omega)
    path = direction * ((1 - t_col) * norm0 + t_col * norm1)
    path[t == 0] = z0
    path[t == 1] = z1
    return path


def interpolate(z0: torch.Tensor, z1: torch.Tensor, n: int,
                method: Literal["lerp", "slerp"] = "slerp") -> torch.Tensor:
    """n >= 2 evenly spaced points from z0 to z1 inclusive: [n, dim]."""
    if n < 2:
        raise ValueError("an interpolation needs at least its two endpoints (n >= 2)")
    t = torch.linspace(0.0, 1.0, n)
    return {"lerp": lerp, "slerp": slerp}[method](z0, z1, t)


def walk(latents: torch.Tensor, frames_per_leg: int,
         method: Literal["lerp", "slerp"] = "slerp") -> torch.Tensor:
    """A closed loop through latents [k, dim]: k legs of frames_per_leg frames each.

    Each leg leaves out its end point (the next leg starts there), so the loop plays
    without a repeated frame: [k * frames_per_leg, dim].
    """
    legs = [interpolate(latents[i], latents[(i + 1) % len(latents)], frames_per_leg + 1,
                        method)[:-1] for i in range(len(latents))]
    return torch.cat(legs)


@torch.no_grad()
def generate(generator: Generator, z: torch.Tensor, batch_size: int = 256) -> torch.Tensor:
    """Images [B, 1, 28, 28] in [-1, 1] for latents z [B, dim], in batches, on the
    generator's device."""
    device = next(generator.parameters()).device
    return torch.cat([generator(chunk) for chunk in z.to(device).split(batch_size)])


@torch.no_grad()
def critic_scores(critic: Critic, images: torch.Tensor, batch_size: int = 256) -> torch.Tensor:
    """Critic scores [B] for images [B, 1, 28, 28] in [-1, 1], in batches, on the critic's
    device."""
    device = next(critic.parameters()).device
    return torch.cat([critic(chunk) for chunk in images.to(device).split(batch_size)])


def latent_norms(latents: torch.Tensor) -> np.ndarray:
    """||z|| of each latent [n, dim]: float32 [n]."""
    return latents.norm(dim=1).cpu().numpy()


def typical_norm(dim: int, sigmas: float = 2.0) -> tuple[float, float]:
    """Where the norm of a latent z ~ N(0, I_dim) lies: (its typical value, the half-width of
    the band of +-sigmas standard deviations around it).

    ||z|| follows the chi distribution with dim degrees of freedom, whose mean tends to
    sqrt(dim) and whose standard deviation tends to 1/sqrt(2) as dim grows (for dim = 64:
    7.97 and 0.706). So almost every latent lies in a thin shell of radius sqrt(dim), and a
    path that leaves the shell (lerp's middle) feeds the generator latents unlike any it
    was trained on.
    """
    return math.sqrt(dim), sigmas / math.sqrt(2)


def load() -> dict[str, tuple[Generator, Critic, dict]]:
    """What the page shares among all visitors: for each data set in MODELS, its trained
    (generator, critic, training record)."""
    models = {}
    for name in MODELS:
        generator, critic = load_models(ASSET_DIR / name, get_device())
        latent = sample_latents([0], generator.latent_dim)
        first_pass(lambda: critic_scores(critic, generate(generator, latent)))
        models[name] = generator, critic, read_training_record(ASSET_DIR / name)
    return models
