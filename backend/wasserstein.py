"""The Wasserstein distance in 2-D: exactly, through its dual, and as a GAN's loss.

Three views of the earth mover's distance W1 between two distributions μ ("real") and
ν ("generated") on the plane, each something a visitor can see:

- The primal (Monge-Kantorovich): W1(μ, ν) = min over transport plans π with marginals μ and
  ν of Σ π_ij ‖x_i - y_j‖, the cheapest way to move one pile of earth onto the other. For
  point sets with uniform weights it is a linear program, solved exactly by POT (Flamary et
  al. 2021, "POT: Python Optimal Transport", JMLR 22(78); `ot.emd` / `ot.emd2`, a network
  simplex after Bonneel et al. 2011). `exact_distance` returns the distance and the plan,
  `transport_lines` the plan's pairs as segments to draw.
- The dual (Kantorovich-Rubinstein): W1(μ, ν) = sup over 1-Lipschitz f of E_μ[f] - E_ν[f].
  A small MLP critic f: R² -> R is trained to maximize that difference (`CriticTrainer`),
  its Lipschitz constraint imposed either by weight clipping to [-c, c] with RMSProp
  (Arjovsky, Chintala & Bottou 2017, "Wasserstein GAN") or by a gradient penalty
  λ·E[(‖∇f(x̂)‖ - 1)²] at random interpolates x̂ between real and generated points, with
  Adam (Gulrajani et al. 2017, "Improved Training of Wasserstein GANs"). With the penalty
  the trained critic's estimate approaches the exact distance and ‖∇f‖ ~ 1 between the
  sets, a little above: for a linear witness of slope s the objective W·s - λ(s - 1)² peaks
  at s = 1 + W/(2λ), so the estimate overshoots by ~W/(2λ) (10% for W = 2, λ = 10); clipping bounds the Lipschitz constant only loosely (its estimate is K·W1 for some
  unknown K, usually far below 1 at small c).
- The WGAN: a generator G maps noise z ~ N(0, I) in R² to points and is trained to make
  the critic's E_μ[f] - E_G[f] small, alternating n_critic critic steps per generator step
  (`GanTrainer`). Switchable to the original GAN (Goodfellow et al. 2014, "Generative
  Adversarial Nets"): the critic becomes a discriminator D = σ(logit) trained with binary
  cross-entropy, and the generator minimizes the non-saturating -E[log D(G(z))]. When the
  supports are disjoint (the "disjoint" point sets: two parallel segments, the example of
  Arjovsky et al. 2017, Fig. 1) a discriminator separates them perfectly and saturates:
  D ~ 0 at the fakes, flat there, so the gradient it gives the fakes vanishes, while the
  WGAN critic keeps a slope of ~1 everywhere between the sets (Arjovsky & Bottou 2017,
  "Towards Principled Methods for Training Generative Adversarial Networks"). `arrows`
  shows the push on each fake point: ∇f for the WGAN, ∇ log D for the GAN.

Points are float32 tensors [N, 2] on the CPU with coordinates in about [-1.5, 1.5]² (the
plane shown is [-PLANE, PLANE]²). Networks live on the gallery's device; every function
moves its inputs to the network's device itself and returns numpy arrays on the CPU. The
URL-facing configs (`PointsConfig`, `CriticConfig`, `GanConfig`) keep their defaults and
ranges here, in one place each; `validated` and `from_query` clamp what a visitor typed and
fall back to the default for anything unreadable.
"""
from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import ot
import torch
from torch import nn
from torch.nn import functional as F

from backend.device import first_pass, get_device, model_device
from backend.url_config import QueryConfig, choice, integer, number

PLANE = 2.0  # the plane shown is [-PLANE, PLANE]²; the point sets lie in about [-1.5, 1.5]²
SETS = ("shifted_blob", "ring_vs_blob", "two_modes_vs_one", "disjoint")
CONSTRAINTS = ("gp", "clip")  # gradient penalty (Gulrajani et al.) or weight clipping (Arjovsky et al.)
# The GAN's losses: the WGAN's; the original GAN with the non-saturating generator loss
# -E[log D(G(z))] (Goodfellow et al. 2014, Sec. 3: what is trained in practice); and with its
# minimax one, E[log(1 - D(G(z)))] (the value function itself, which saturates).
LOSSES = ("wasserstein", "gan", "gan_minimax")
RESOLUTION = 64  # default side of the heatmap grid (RESOLUTION² points, one forward pass)
SHIFT = (1.0, 0.0)  # "shifted_blob": ν is μ moved by this vector, so W1 = |SHIFT| = 1 exactly
ARROWS = 64
MAX_FAKES = 2048  # GanTrainer.fake_points draws from this many fixed noise vectors
# Adam's betas for both players of a GAN, as WGAN-GP's Algorithm 1: no momentum, which
# would push with a stale view of an opponent that keeps moving.
GAN_BETAS = (0.0, 0.9)  # default number of fake points that get an arrow

# The training budget: a page stops training by itself after MAX_STEPS critic steps
# (CriticTrainer's steps; a GanTrainer's critic steps in all, n_critic per generator step,
# so 400 generator steps at n_critic = 5). A critic step with the gradient penalty costs
# ~6 CPU-ms on the default sizes on a slow 2-core machine (bench/wasserstein.py), so a
# whole run costs at most ~12 CPU-seconds (a GAN's a little more, with its generator).
MAX_STEPS = 2_000


# ---------------------------------------------------------------------------------------
# Configs


@dataclass(frozen=True)
class PointsConfig(QueryConfig):
    """Which pair of point sets (μ real, ν generated), how many points each, from which seed."""
    kind: str = "shifted_blob"
    points: int = 200
    seed: int = 0

    POINTS: ClassVar[tuple[int, int]] = (2, 500)
    SEED: ClassVar[tuple[int, int]] = (0, 2**31 - 1)
    QUERY_KEYS: ClassVar[dict[str, str]] = {"kind": "set", "points": "n", "seed": "seed"}

    @classmethod
    def _clean(cls, get: Callable[[str], Any], default: dict[str, Any]) -> dict[str, Any]:
        return {
            "kind": choice(get("kind"), SETS, default["kind"]),
            "points": integer(get("points"), *cls.POINTS, default["points"]),
            "seed": integer(get("seed"), *cls.SEED, default["seed"]),
        }


@dataclass(frozen=True)
class CriticConfig(QueryConfig):
    """The critic f: R² -> R (an MLP, `layers` hidden ReLU layers of `width`) and how it is
    kept 1-Lipschitz: constraint "gp" (penalty weight `penalty` = λ, Adam at `learning_rate`
    as in WGAN-GP) or "clip" (every weight clipped to [-clip, clip]
    after each step, RMSProp at `learning_rate` as in WGAN). `batch` points of each set per
    step (the whole set if it has fewer)."""
    constraint: str = "gp"
    penalty: float = 10.0
    clip: float = 0.1
    learning_rate: float = 0.005
    width: int = 64
    layers: int = 2
    batch: int = 256

    PENALTY: ClassVar[tuple[float, float]] = (0.0, 100.0)
    CLIP: ClassVar[tuple[float, float]] = (0.001, 10.0)
    LEARNING_RATE: ClassVar[tuple[float, float]] = (1e-5, 0.1)
    WIDTH: ClassVar[tuple[int, int]] = (4, 256)
    LAYERS: ClassVar[tuple[int, int]] = (1, 4)
    BATCH: ClassVar[tuple[int, int]] = (8, 1024)
    QUERY_KEYS: ClassVar[dict[str, str]] = {
        "constraint": "lip", "penalty": "lam", "clip": "clip", "learning_rate": "clr",
        "width": "cw", "layers": "cl", "batch": "batch"}

    @classmethod
    def _clean(cls, get: Callable[[str], Any], default: dict[str, Any]) -> dict[str, Any]:
        return {
            "constraint": choice(get("constraint"), CONSTRAINTS, default["constraint"]),
            "penalty": number(get("penalty"), *cls.PENALTY, default["penalty"]),
            "clip": number(get("clip"), *cls.CLIP, default["clip"]),
            "learning_rate": number(get("learning_rate"), *cls.LEARNING_RATE,
                                    default["learning_rate"]),
            "width": integer(get("width"), *cls.WIDTH, default["width"]),
            "layers": integer(get("layers"), *cls.LAYERS, default["layers"]),
            "batch": integer(get("batch"), *cls.BATCH, default["batch"]),
        }


@dataclass(frozen=True)
class GanConfig(QueryConfig):
    """The GAN around a critic: `loss` "wasserstein" (the critic is a CriticConfig critic)
    or "gan" (the critic is a discriminator's logit, trained with BCE; the constraint is
    then not applied), `n_critic` critic steps per generator step, the generator (an MLP
    2 -> `generator_layers` hidden ReLU layers of `generator_width` -> 2, Adam at
    `generator_lr` with GAN_BETAS, as the critic). "gan" trains the generator with the
    non-saturating loss, "gan_minimax" with the saturating one (see LOSSES). Even the WGAN
    circles around its target at these learning rates rather than settling: the critic,
    a few steps per generator step, lags behind the moving fakes."""
    loss: str = "wasserstein"
    n_critic: int = 5
    generator_lr: float = 0.0005
    generator_width: int = 64
    generator_layers: int = 2

    N_CRITIC: ClassVar[tuple[int, int]] = (1, 20)
    GENERATOR_LR: ClassVar[tuple[float, float]] = (1e-5, 0.1)
    GENERATOR_WIDTH: ClassVar[tuple[int, int]] = (4, 256)
    GENERATOR_LAYERS: ClassVar[tuple[int, int]] = (1, 4)
    QUERY_KEYS: ClassVar[dict[str, str]] = {
        "loss": "loss", "n_critic": "ncrit", "generator_lr": "glr", "generator_width": "gw",
        "generator_layers": "gl"}

    @classmethod
    def _clean(cls, get: Callable[[str], Any], default: dict[str, Any]) -> dict[str, Any]:
        return {
            "loss": choice(get("loss"), LOSSES, default["loss"]),
            "n_critic": integer(get("n_critic"), *cls.N_CRITIC, default["n_critic"]),
            "generator_lr": number(get("generator_lr"), *cls.GENERATOR_LR,
                                   default["generator_lr"]),
            "generator_width": integer(get("generator_width"), *cls.GENERATOR_WIDTH,
                                       default["generator_width"]),
            "generator_layers": integer(get("generator_layers"), *cls.GENERATOR_LAYERS,
                                        default["generator_layers"]),
        }


# ---------------------------------------------------------------------------------------
# Point sets


def _blob(rng: np.random.Generator, n: int, centre: Sequence[float], spread: float
          ) -> np.ndarray:
    return np.asarray(centre) + rng.normal(0.0, spread, (n, 2))


def make_points(config: PointsConfig) -> tuple[torch.Tensor, torch.Tensor]:
    """(μ, ν): float32 [N, 2] each on the CPU, N = config.points; the same config always
    gives the same points.

    - "shifted_blob": μ a Gaussian blob (spread 0.25) at (-0.5, 0), ν exactly μ + SHIFT,
      so W1 = |SHIFT| = 1 and the optimal plan pairs each point with its twin;
    - "ring_vs_blob": μ on the unit circle (radial noise 0.05), ν a blob (0.2) at the origin
      (W1 ~ 0.75: the radial map moves each point by ~1 - |y|);
    - "two_modes_vs_one": μ two blobs (0.15) at (±1, 0), ν one blob (0.15) at the origin
      (W1 ~ 1: half the mass goes left, half right);
    - "disjoint": μ on the segment x = 1, ν on the segment x = -1, y uniform in [-1, 1]
      (W1 ~ 2, and the supports never overlap: the parallel lines of Arjovsky et al. 2017).
    """
    rng = np.random.default_rng(config.seed)
    n = config.points
    if config.kind == "shifted_blob":
        mu = _blob(rng, n, (-0.5, 0.0), 0.25)
        nu = mu + np.asarray(SHIFT)
    elif config.kind == "ring_vs_blob":
        angle = rng.uniform(0.0, 2 * np.pi, n)
        radius = 1.0 + rng.normal(0.0, 0.05, n)
        mu = radius[:, None] * np.stack([np.cos(angle), np.sin(angle)], axis=1)
        nu = _blob(rng, n, (0.0, 0.0), 0.2)
    elif config.kind == "two_modes_vs_one":
        side = np.where(np.arange(n) % 2 == 0, -1.0, 1.0)
        mu = _blob(rng, n, (0.0, 0.0), 0.15) + np.stack([side, np.zeros(n)], axis=1)
        nu = _blob(rng, n, (0.0, 0.0), 0.15)
    elif config.kind == "disjoint":
        mu = np.stack([np.full(n, 1.0), rng.uniform(-1.0, 1.0, n)], axis=1)
        nu = np.stack([np.full(n, -1.0), rng.uniform(-1.0, 1.0, n)], axis=1)
    else:
        raise ValueError(f"unknown point sets {config.kind!r}; one of {SETS}")
    # ν is clipped with μ's rule, so "shifted_blob" stays an exact shift unless a point
    # of μ sits within |SHIFT| of the plane's edge (then the shift is no longer exact).
    clip = lambda xy: torch.from_numpy(np.clip(xy, -PLANE, PLANE).astype(np.float32))  # noqa: E731
    return clip(mu), clip(nu)


def placed_points(points: Iterable[Sequence[Any]]) -> torch.Tensor:
    """A point set from the visitor's (x, y) pairs: float32 [N, 2], coordinates clipped to
    the plane, pairs with a non-finite or unreadable coordinate dropped (possibly none left:
    then [0, 2])."""
    xy = []
    for point in points:
        try:
            x, y = float(point[0]), float(point[1])
        except (TypeError, ValueError, IndexError):
            continue
        if math.isfinite(x) and math.isfinite(y):
            xy.append((min(max(x, -PLANE), PLANE), min(max(y, -PLANE), PLANE)))
    return torch.tensor(xy, dtype=torch.float32).reshape(-1, 2)


def _as_numpy(points: Any) -> np.ndarray:
    if isinstance(points, torch.Tensor):
        points = points.detach().cpu().numpy()
    return np.asarray(points, dtype=np.float64).reshape(-1, 2)


# ---------------------------------------------------------------------------------------
# The primal: exact optimal transport (POT)


def exact_distance(mu: Any, nu: Any) -> tuple[float, np.ndarray]:
    """W1 between the uniform distributions on point sets μ [N, 2] and ν [M, 2] (tensors,
    arrays or lists of (x, y)) under the Euclidean ground cost, and the optimal plan.

    Returns (distance, plan float64 [N, M]): plan[i, j] is the mass moved from μ_i to ν_j,
    rows summing to 1/N and columns to 1/M (an exact LP solution, by ot.emd2 / ot.emd).
    Raises ValueError if a set is empty.
    """
    mu, nu = _as_numpy(mu), _as_numpy(nu)
    if len(mu) == 0 or len(nu) == 0:
        raise ValueError("both point sets need at least one point")
    a, b = np.full(len(mu), 1.0 / len(mu)), np.full(len(nu), 1.0 / len(nu))
    cost = ot.dist(mu, nu, metric="euclidean")
    distance = float(ot.emd2(a, b, cost))
    plan = np.asarray(ot.emd(a, b, cost))
    return distance, plan


@dataclass(frozen=True)
class TransportLines:
    """The plan's non-zero pairs as segments to draw, heaviest first: starts [K, 2] (points of
    μ), ends [K, 2] (points of ν), masses [K] (summing to 1 over the whole plan)."""
    starts: np.ndarray
    ends: np.ndarray
    masses: np.ndarray

    def __len__(self) -> int:
        return len(self.masses)


def transport_lines(mu: Any, nu: Any, plan: np.ndarray, tolerance: float = 1e-9
                    ) -> TransportLines:
    """The pairs (i, j) with plan[i, j] > tolerance as segments μ_i -> ν_j with their mass.
    An exact plan has at most N + M - 1 of them (a vertex of the transport polytope)."""
    mu, nu = _as_numpy(mu), _as_numpy(nu)
    rows, cols = np.nonzero(plan > tolerance)
    masses = plan[rows, cols]
    order = np.argsort(-masses, kind="stable")
    rows, cols = rows[order], cols[order]
    return TransportLines(starts=mu[rows], ends=nu[cols], masses=masses[order])


# ---------------------------------------------------------------------------------------
# Networks


def _mlp(sizes: Sequence[int], seed: int) -> nn.Sequential:
    """Linear, ReLU, ..., Linear over `sizes`, PyTorch's default init drawn from `seed` on
    the CPU (the same seed gives the same θ on every device), on the gallery's device."""
    layers: list[nn.Module] = []
    for i, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(nn.Linear(fan_in, fan_out))
        if i < len(sizes) - 2:
            layers.append(nn.ReLU())
    net = nn.Sequential(*layers)
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for layer in net:
            if isinstance(layer, nn.Linear):
                bound = 1.0 / math.sqrt(layer.in_features)  # nn.Linear's default, seeded
                layer.weight.uniform_(-bound, bound, generator=generator)
                layer.bias.uniform_(-bound, bound, generator=generator)
    return net.to(get_device())


def build_critic(config: CriticConfig, seed: int = 0) -> nn.Sequential:
    """The critic MLP [B, 2] -> [B, 1]: `config.layers` hidden ReLU layers of `config.width`.
    With weight clipping, its weights start clipped to [-clip, clip] already."""
    critic = _mlp((2, *(config.width,) * config.layers, 1), seed)
    if config.constraint == "clip":
        clip_weights(critic, config.clip)
    return critic


def build_generator(config: GanConfig, seed: int = 0) -> nn.Sequential:
    """The generator MLP z [B, 2] -> points [B, 2]: `generator_layers` hidden ReLU layers
    of `generator_width`, a linear output (its first points lie near the origin)."""
    return _mlp((2, *(config.generator_width,) * config.generator_layers, 2), seed)


@torch.no_grad()
def clip_weights(critic: nn.Module, clip: float) -> None:
    """WGAN's constraint: every parameter (weights and biases) clamped to [-clip, clip]."""
    for parameter in critic.parameters():
        parameter.clamp_(-clip, clip)


def critic_optimizer(critic: nn.Module, config: CriticConfig,
                     betas: tuple[float, float] = (0.9, 0.999)) -> torch.optim.Optimizer:
    """Adam(lr) with the gradient penalty, RMSProp(lr) with clipping (WGAN's Algorithm 1:
    momentum-free, as momentum made its critic unstable). WGAN-GP's Algorithm 1 runs Adam
    with betas (0, 0.9) at lr 1e-4; here, at the 50x larger lr a live page needs, the
    default betas (0.9, 0.999) hold the estimate steadiest (within ~1% from frame to frame
    once settled, where (0.5, 0.9) swings by ~10%)."""
    if config.constraint == "clip":
        return torch.optim.RMSprop(critic.parameters(), lr=config.learning_rate)
    return torch.optim.Adam(critic.parameters(), lr=config.learning_rate, betas=betas)


def interpolates(real: torch.Tensor, fake: torch.Tensor, generator: torch.Generator
                 ) -> torch.Tensor:
    """x̂ = ε·real + (1 - ε)·fake, ε ~ U(0, 1) per pair (WGAN-GP's sampling of the penalty's
    points), on real's device; real and fake [B, 2] each."""
    epsilon = torch.rand(len(real), 1, generator=generator).to(real.device)
    return epsilon * real + (1 - epsilon) * fake


def _input_gradients(critic: nn.Module, points: torch.Tensor, *, create_graph: bool = False,
                     output: Callable[[torch.Tensor], torch.Tensor] = lambda f: f
                     ) -> torch.Tensor:
    """∇_x output(critic(x)) at each point [B, 2] -> [B, 2], from one batched backward pass
    (the outputs of different points do not interact, so the gradient of their sum is each
    point's own gradient)."""
    points = points.detach().requires_grad_(True)
    with torch.enable_grad():
        values = output(critic(points)).sum()
        (gradient,) = torch.autograd.grad(values, points, create_graph=create_graph)
    return gradient


def gradient_penalty(critic: nn.Module, points: torch.Tensor) -> torch.Tensor:
    """E[(‖∇f(x̂)‖ - 1)²] over the points x̂ [B, 2], differentiable in the critic's θ."""
    gradient = _input_gradients(critic, points, create_graph=True)
    return ((gradient.norm(dim=1) - 1) ** 2).mean()


def critic_step(critic: nn.Module, optimizer: torch.optim.Optimizer, config: CriticConfig,
                real: torch.Tensor, fake: torch.Tensor, generator: torch.Generator) -> float:
    """One step of the critic's ascent on E_real[f] - E_fake[f] (minus λ·penalty with "gp";
    weights clipped after the step with "clip"); real, fake [B, 2] on the critic's device.
    Returns the batch's dual estimate E_real[f] - E_fake[f] before the step."""
    optimizer.zero_grad()
    values = critic(torch.cat([real, fake]))  # one pass for both sets
    dual = values[:len(real)].mean() - values[len(real):].mean()
    loss = -dual
    if config.constraint == "gp" and config.penalty > 0:
        loss = loss + config.penalty * gradient_penalty(critic, interpolates(real, fake, generator))
    loss.backward()
    optimizer.step()
    if config.constraint == "clip":
        clip_weights(critic, config.clip)
    return dual.item()


def discriminator_step(critic: nn.Module, optimizer: torch.optim.Optimizer,
                       real: torch.Tensor, fake: torch.Tensor) -> float:
    """One step of the original GAN's discriminator, D = σ(critic): binary cross-entropy
    with real -> 1, fake -> 0 (mean of the two halves). Returns that loss before the step."""
    optimizer.zero_grad()
    logits = critic(torch.cat([real, fake]))
    loss = 0.5 * (F.binary_cross_entropy_with_logits(logits[:len(real)], torch.ones_like(logits[:len(real)]))
                  + F.binary_cross_entropy_with_logits(logits[len(real):], torch.zeros_like(logits[len(real):])))
    loss.backward()
    optimizer.step()
    return loss.item()


# ---------------------------------------------------------------------------------------
# Pictures


def grid(resolution: int = RESOLUTION) -> torch.Tensor:
    """The plane's grid points [R·R, 2] in image order: row-major, row 0 at the top
    (y = +PLANE), column 0 at the left (x = -PLANE); point r·R + c is pixel (r, c)."""
    axis = torch.linspace(-PLANE, PLANE, resolution)
    ys, xs = torch.meshgrid(axis.flip(0), axis, indexing="ij")
    return torch.stack([xs.reshape(-1), ys.reshape(-1)], dim=1)


@torch.no_grad()
def heatmap(critic: nn.Module, resolution: int = RESOLUTION) -> np.ndarray:
    """The critic's value f(x) over the plane, float32 [R, R] in image order (see grid),
    from one batched forward pass. For the GAN's discriminator it is the logit; σ of it is
    D's probability."""
    values = critic(grid(resolution).to(model_device(critic)))
    return values.reshape(resolution, resolution).cpu().numpy()


def critic_gradients(critic: nn.Module, points: Any) -> np.ndarray:
    """∇_x f at each point ([N, 2] tensor, array or list of (x, y)): float32 [N, 2], from
    one batched backward pass. For a 1-Lipschitz critic every norm is <= 1."""
    x = torch.as_tensor(_as_numpy(points), dtype=torch.float32).to(model_device(critic))
    return _input_gradients(critic, x).cpu().numpy()


# ---------------------------------------------------------------------------------------
# The dual: a critic trained live


@dataclass(frozen=True)
class DualReport:
    """Where the critic stands, as plain numbers: `step` critic steps done in total, `dual`
    the estimate E_μ[f] - E_ν[f] over the whole sets at the current θ, `gradient_norm` the
    mean ‖∇f‖ at fixed random interpolates between μ and ν (1 for an optimal GP critic
    between the sets), `max_weight` the largest |parameter| (<= clip with clipping)."""
    step: int
    dual: float
    gradient_norm: float
    max_weight: float

    @property
    def diverged(self) -> bool:
        return not math.isfinite(self.dual)


def _batch(points: torch.Tensor, size: int, generator: torch.Generator) -> torch.Tensor:
    """`size` points drawn with replacement, or all of them if there are no more than size."""
    if len(points) <= size:
        return points
    return points[torch.randint(len(points), (size,), generator=generator).to(points.device)]


class CriticTrainer:
    """One visitor's dual: a critic trained on fixed point sets μ, ν to maximize
    E_μ[f] - E_ν[f] under its Lipschitz constraint. `run(steps)` trains one chunk (e.g. one
    animation frame) and never past MAX_STEPS; `report` is the latest DualReport."""

    def __init__(self, mu: torch.Tensor, nu: torch.Tensor, config: CriticConfig,
                 seed: int = 0) -> None:
        if len(mu) == 0 or len(nu) == 0:
            raise ValueError("both point sets need at least one point")
        self.config, self.seed = config, seed
        self.critic = build_critic(config, seed)
        self.optimizer = critic_optimizer(self.critic, config)
        device = model_device(self.critic)
        self.mu, self.nu = mu.to(device), nu.to(device)
        self.random = torch.Generator().manual_seed(seed)
        n = max(len(mu), len(nu))  # the report's interpolates: fixed, so reports compare
        fixed = torch.Generator().manual_seed(seed + 1)
        pairs_mu = self.mu[torch.randint(len(mu), (n,), generator=fixed).to(device)]
        pairs_nu = self.nu[torch.randint(len(nu), (n,), generator=fixed).to(device)]
        self.probe = interpolates(pairs_mu, pairs_nu, fixed)
        self.step = 0
        self.report = self._report()

    @property
    def finished(self) -> bool:
        return self.step >= MAX_STEPS or self.report.diverged

    def run(self, steps: int) -> DualReport:
        steps = max(0, min(steps, MAX_STEPS - self.step))
        self.critic.train()
        for _ in range(steps):
            critic_step(self.critic, self.optimizer, self.config,
                        _batch(self.mu, self.config.batch, self.random),
                        _batch(self.nu, self.config.batch, self.random), self.random)
        self.step += steps
        self.report = self._report()
        return self.report

    def _report(self) -> DualReport:
        with torch.no_grad():
            dual = (self.critic(self.mu).mean() - self.critic(self.nu).mean()).item()
            max_weight = max(p.abs().max().item() for p in self.critic.parameters())
        norm = _input_gradients(self.critic, self.probe).norm(dim=1).mean().item()
        return DualReport(step=self.step, dual=dual, gradient_norm=norm, max_weight=max_weight)

    def heatmap(self, resolution: int = RESOLUTION) -> np.ndarray:
        return heatmap(self.critic, resolution)

    def gradients(self, points: Any) -> np.ndarray:
        return critic_gradients(self.critic, points)


# ---------------------------------------------------------------------------------------
# The 2-D (W)GAN


@dataclass(frozen=True)
class GanReport:
    """Where the GAN stands, as plain numbers: `step` generator steps and `critic_steps`
    critic steps done in total; `critic_value` is, for the WGAN, the critic's estimate
    E_μ[f] - E_G[f] (over the target and fixed noise), for the GAN the discriminator's BCE
    loss (log 2 = 0.693 when it cannot tell real from fake, -> 0 when it separates them);
    `generator_loss` is the generator's loss on the fixed noise: -E_G[f] (WGAN),
    -E_G[log D] ("gan") or E_G[log(1 - D)] ("gan_minimax")."""
    step: int
    critic_steps: int
    critic_value: float
    generator_loss: float

    @property
    def diverged(self) -> bool:
        return not (math.isfinite(self.critic_value) and math.isfinite(self.generator_loss))


def _generator_objective(loss: str) -> Callable[[torch.Tensor], torch.Tensor]:
    """What the generator ascends at each fake point, from the critic's output there: f
    (WGAN), log D = log σ(logit) ("gan", non-saturating), -log(1 - D) = -log σ(-logit)
    ("gan_minimax": minimizing E[log(1 - D)]). Its gradient in x is the push on the point."""
    if loss == "wasserstein":
        return lambda value: value
    if loss == "gan":
        return F.logsigmoid
    return lambda logit: -F.logsigmoid(-logit)


class GanTrainer:
    """One visitor's GAN: a generator from N(0, I) in R² to the plane and a critic (or
    discriminator), trained alternately on target points μ. `run(steps)` does `steps`
    generator steps, each after config.n_critic critic steps; `train_critic(steps)` trains
    the critic alone against the frozen generator (Arjovsky & Bottou's experiment: a
    discriminator trained to optimality). Both stop at MAX_STEPS critic steps in all."""

    def __init__(self, target: torch.Tensor, critic_config: CriticConfig, config: GanConfig,
                 seed: int = 0, evaluation_points: int = 256) -> None:
        if len(target) == 0:
            raise ValueError("the target set needs at least one point")
        self.critic_config, self.config, self.seed = critic_config, config, seed
        self.wasserstein = config.loss == "wasserstein"
        # The GAN's discriminator is unconstrained: no clipping, no penalty.
        self.critic = build_critic(critic_config if self.wasserstein
                                   else dataclasses.replace(critic_config, constraint="gp"), seed)
        if self.wasserstein:
            self.critic_optimizer = critic_optimizer(self.critic, critic_config, GAN_BETAS)
        else:
            self.critic_optimizer = torch.optim.Adam(self.critic.parameters(),
                                                     lr=critic_config.learning_rate,
                                                     betas=GAN_BETAS)
        self.generator = build_generator(config, seed + 1)
        self.generator_optimizer = torch.optim.Adam(
            self.generator.parameters(), lr=config.generator_lr, betas=GAN_BETAS)
        self.objective = _generator_objective(config.loss)
        self.device = model_device(self.critic)
        self.target = target.to(self.device)
        self.random = torch.Generator().manual_seed(seed)
        fixed = torch.Generator().manual_seed(seed + 2)
        self.evaluation_noise = torch.randn(evaluation_points, 2, generator=fixed).to(self.device)
        self.fixed_noise = torch.randn(MAX_FAKES, 2, generator=fixed).to(self.device)
        self.step = self.critic_steps = 0
        self.report = self._report()

    @property
    def finished(self) -> bool:
        return self.critic_steps >= MAX_STEPS or self.report.diverged

    def _noise(self, n: int) -> torch.Tensor:
        return torch.randn(n, 2, generator=self.random).to(self.device)

    def _critic_step(self) -> None:
        real = _batch(self.target, self.critic_config.batch, self.random)
        with torch.no_grad():
            fake = self.generator(self._noise(len(real)))
        if self.wasserstein:
            critic_step(self.critic, self.critic_optimizer, self.critic_config, real, fake,
                        self.random)
        else:
            discriminator_step(self.critic, self.critic_optimizer, real, fake)
        self.critic_steps += 1

    def run(self, steps: int) -> GanReport:
        """`steps` generator steps (fewer if the budget runs out), each after n_critic critic
        steps; the generator descends -E[objective(critic(G(z)))]."""
        steps = max(0, min(steps, (MAX_STEPS - self.critic_steps) // self.config.n_critic))
        for _ in range(steps):
            for _ in range(self.config.n_critic):
                self._critic_step()
            self.generator_optimizer.zero_grad()
            fake = self.generator(self._noise(self.critic_config.batch))
            (-self.objective(self.critic(fake)).mean()).backward()
            self.generator_optimizer.step()
        self.step += steps
        self.report = self._report()
        return self.report

    def train_critic(self, steps: int) -> GanReport:
        """`steps` critic steps against the current generator, which stays as it is."""
        for _ in range(max(0, min(steps, MAX_STEPS - self.critic_steps))):
            self._critic_step()
        self.report = self._report()
        return self.report

    @torch.no_grad()
    def _report(self) -> GanReport:
        fake = self.generator(self.evaluation_noise)
        real_value, fake_value = self.critic(self.target), self.critic(fake)
        if self.wasserstein:
            critic_value = (real_value.mean() - fake_value.mean()).item()
        else:
            critic_value = 0.5 * (
                F.binary_cross_entropy_with_logits(real_value, torch.ones_like(real_value))
                + F.binary_cross_entropy_with_logits(fake_value, torch.zeros_like(fake_value))
            ).item()
        return GanReport(step=self.step, critic_steps=self.critic_steps,
                         critic_value=critic_value,
                         generator_loss=-self.objective(fake_value).mean().item())

    @torch.no_grad()
    def fake_points(self, n: int = 256) -> np.ndarray:
        """n generated points float32 [n, 2] (n <= MAX_FAKES) from fixed noise, the first n
        of one sequence drawn from the seed, so an animation shows the same points moving
        from frame to frame and more points add to the fewer."""
        return self.generator(self.fixed_noise[:n]).cpu().numpy()

    def arrows(self, points: Any = None, n: int = ARROWS) -> tuple[np.ndarray, np.ndarray]:
        """The push on generated points: (points float32 [n, 2], directions float32 [n, 2]),
        the gradient in x of what the generator ascends (see _generator_objective): ∇f for
        the WGAN, ∇ log D = (1 - D)·∇logit for "gan", ∇ -log(1 - D) = D·∇logit = ∇D/(1 - D)
        for "gan_minimax", which vanishes where the discriminator is sure (D ~ 0) at the
        fakes. `points` defaults to fake_points(n)."""
        points = self.fake_points(n) if points is None else _as_numpy(points).astype(np.float32)
        x = torch.as_tensor(points).to(self.device)
        return points, _input_gradients(self.critic, x, output=self.objective).cpu().numpy()

    def heatmap(self, resolution: int = RESOLUTION) -> np.ndarray:
        """f over the plane (WGAN) or D = σ(logit) (GAN), float32 [R, R] in image order."""
        values = heatmap(self.critic, resolution)
        if self.wasserstein:
            return values
        return (1 / (1 + np.exp(-values.astype(np.float64)))).astype(np.float32)

    def exact_distance(self, n: int = 256) -> float:
        """The exact W1 between the target and fake_points(n) (POT), to check the critic by."""
        return exact_distance(self.target, self.fake_points(n))[0]


# ---------------------------------------------------------------------------------------
# The lecture's presets


# Each preset shows one point of the lecture: (point sets, critic, GAN). The numbers are for
# seed 0 on the CPU; tests/test_wasserstein_backend.py checks the claims.
PRESETS: dict[str, tuple[PointsConfig, CriticConfig, GanConfig]] = {
    # A blob and the same blob moved by (1, 0): W1 = 1 exactly, the plan a parallel shift;
    # the GP critic finds the linear witness f(x) = -x₁ + const.
    "shifted_blob": (PointsConfig(kind="shifted_blob"), CriticConfig(), GanConfig()),
    # The ring around the blob: mass moves outward radially, f ~ |x|.
    "ring_vs_blob": (PointsConfig(kind="ring_vs_blob"), CriticConfig(), GanConfig()),
    # One mode splits into two: a WGAN's generator has to tear its mass apart.
    "two_modes_vs_one": (PointsConfig(kind="two_modes_vs_one"), CriticConfig(), GanConfig()),
    # Parallel segments: disjoint supports. WGAN-GP keeps ‖∇f‖ ~ 1 at the fakes ...
    "disjoint_wgan": (PointsConfig(kind="disjoint"), CriticConfig(), GanConfig()),
    # ... the original (minimax) GAN's discriminator saturates and its push on the fakes
    # fades (the non-saturating "gan" loss pushes instead, but unstably).
    "disjoint_gan": (PointsConfig(kind="disjoint"), CriticConfig(),
                     GanConfig(loss="gan_minimax")),
    # Weight clipping at c = 0.1 with RMSProp: the critic's capacity is capped, its estimate
    # is a scaled-down K·W1 and its picture much simpler.
    "clipping": (PointsConfig(kind="two_modes_vs_one"), CriticConfig(constraint="clip"),
                 GanConfig()),
}


def load() -> dict[str, Any]:
    """What every visitor shares: nothing trained, just the presets; one tiny exact transport
    and a forward and backward pass check POT and torch on the gallery's device."""
    def check() -> None:
        mu, nu = make_points(PointsConfig(points=8))
        exact_distance(mu, nu)
        critic = build_critic(CriticConfig(width=8), seed=0)
        heatmap(critic, resolution=8)
        critic_gradients(critic, mu)
    first_pass(check)
    return {"presets": PRESETS, "sets": SETS}
