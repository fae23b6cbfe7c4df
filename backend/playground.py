"""A neural-network playground: small MLPs learning 2-D binary classification, live.

After TensorFlow Playground (Smilkov & Carter 2016, "Direct-Manipulation Visualization of
Deep Networks", playground.tensorflow.org), computed server-side in torch. The lecture's
ideas, each something a visitor can see:

- A network is a *parameterized family of functions* f_θ: R² -> R. The architecture
  (`NetworkConfig.hidden`, the activation) fixes the family, training picks one θ. With no
  hidden layer the family is the logistic regressions: straight decision boundaries only, so
  XOR is out of reach whatever θ; one hidden layer of a few neurons can bend the boundary.
- Training minimizes a loss L(y, ŷ) over the training points; here binary cross-entropy on
  the logit, ŷ = σ(f_θ(x)) (plus (l2/2)·‖W‖² on the weights, applied as weight decay).
- Gradient descent by backpropagation: minibatch SGD, θ <- θ - η ∇θ L. The objective is
  non-convex in θ for any hidden layer: a different seed can end in a different solution,
  or stall on a plateau.
- Careless initialization: scaling the initial θ up saturates tanh/sigmoid (their
  derivatives vanish) and scaling it down makes every signal and gradient tiny, and the
  loss sits at log 2 before anything happens (`init_scale`; the default init is the
  careful one of Glorot & Bengio 2010 for tanh/sigmoid/linear and He et al. 2015 for ReLU).
- Vanishing gradients (Glorot & Bengio 2010, "Understanding the difficulty of training deep
  feedforward neural networks"): backpropagation multiplies one σ'(z) <= 1/4 per sigmoid
  layer, so in a deep sigmoid net the first layer's gradient is orders of magnitude below
  the last one's and the first layers barely learn; ReLU's derivative is 1 where it is
  active. `StepReport.gradient_magnitudes` shows it layer by layer.
- Small networks are forced to generalize: a big network can memorize a few noisy points
  (train loss -> 0 while the test loss rises), a small one cannot, and its smoother boundary
  does better on the test points.

Points are float32 tensors [N, 2] with coordinates in about [-1, 1]² (the plane shown is
[-PLANE, PLANE]²), labels int64 tensors [N] of 0/1. Networks map [B, 2] -> logits [B, 1] and
live on the gallery's device; data stay on the CPU and every function moves them to the
network's device itself. The URL-facing configs (`DataConfig`, `NetworkConfig`) keep their
defaults and ranges here, in one place each; `validated` and `from_query` clamp what a
visitor typed and fall back to the default for anything unreadable.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from backend.device import first_pass, get_device, model_device
from backend.url_config import QueryConfig, choice, integer, number

PLANE = 1.2  # the plane shown is [-PLANE, PLANE]²; generated data lie in about [-1, 1]²
KINDS = ("circle", "xor", "blobs", "spiral")
ACTIVATIONS = ("relu", "tanh", "sigmoid", "linear")
RESOLUTION = 64  # default side of the surface grids (RESOLUTION² points, one forward pass)

# The training budget: a page stops training by itself after MAX_EPOCHS passes over the
# training set or MAX_STEPS minibatch steps, whichever comes first (`training_budget`).
# MAX_STEPS bounds the CPU a visitor can spend (batch size 1 on 500 points would otherwise
# be 250 000 steps): at 0.5-0.9 CPU-ms per step (bench/playground.py) a whole run costs at
# most 5-9 CPU-seconds. At one epoch per animation frame and the default 100 training points
# in batches of 10, MAX_EPOCHS is 5000 steps, 50 s of animation at 10 frames a second.
MAX_EPOCHS = 500
MAX_STEPS = 10_000


@dataclass(frozen=True)
class DataConfig(QueryConfig):
    """Which data set, how noisy, how many points, how they split, from which seed.

    `noise` is the standard deviation of the Gaussian noise added to each coordinate, in
    units of the data's scale (the data set's half-width, 1); positions are then clipped to
    the plane. `points` counts train + test points, half of each label.
    """
    kind: str = "circle"
    noise: float = 0.1
    points: int = 200
    test_fraction: float = 0.5
    seed: int = 0

    NOISE: ClassVar[tuple[float, float]] = (0.0, 0.5)
    POINTS: ClassVar[tuple[int, int]] = (4, 1000)
    TEST_FRACTION: ClassVar[tuple[float, float]] = (0.1, 0.9)
    SEED: ClassVar[tuple[int, int]] = (0, 2**31 - 1)
    QUERY_KEYS: ClassVar[dict[str, str]] = {  # field -> URL query key
        "kind": "data", "noise": "noise", "points": "points", "test_fraction": "test",
        "seed": "seed"}

    @classmethod
    def _clean(cls, get: Callable[[str], Any], default: dict[str, Any]) -> dict[str, Any]:
        return {
            "kind": choice(get("kind"), KINDS, default["kind"]),
            "noise": number(get("noise"), *cls.NOISE, default["noise"]),
            "points": integer(get("points"), *cls.POINTS, default["points"]),
            "test_fraction": number(get("test_fraction"), *cls.TEST_FRACTION,
                                     default["test_fraction"]),
            "seed": integer(get("seed"), *cls.SEED, default["seed"]),
        }


def _parse_hidden(value: Any, default: tuple[int, ...]) -> tuple[int, ...]:
    """Hidden layer sizes from "4,2" or a sequence; "0", "" or "none" mean no hidden layer.

    Sizes are clamped to NetworkConfig.NEURONS and only the first MAX_LAYERS layers kept.
    """
    if isinstance(value, str):
        text = value.strip().lower()
        if text in ("", "0", "none", "-"):
            return ()
        value = text.replace(";", ",").split(",")
    if not isinstance(value, Iterable):
        return default
    low, high = NetworkConfig.NEURONS
    sizes = []
    for item in value:
        size = number(item, low, high, math.nan)
        if math.isnan(size):
            return default
        sizes.append(int(round(size)))
    return tuple(sizes[:NetworkConfig.MAX_LAYERS])


@dataclass(frozen=True)
class NetworkConfig(QueryConfig):
    """The MLP and its training: hidden layer sizes (input side first), activation,
    SGD's learning rate and minibatch size, the L2 penalty (weight decay on the weights,
    not the biases), and `init_scale`, which multiplies the careful default initial θ
    (1 = Glorot for tanh/sigmoid/linear, He for ReLU; 0 = all zeros, so the neurons of a
    layer stay identical: nothing breaks the symmetry).
    """
    hidden: tuple[int, ...] = (4, 2)
    activation: str = "tanh"
    learning_rate: float = 0.03
    batch_size: int = 10
    l2: float = 0.0
    init_scale: float = 1.0

    MAX_LAYERS: ClassVar[int] = 6
    NEURONS: ClassVar[tuple[int, int]] = (1, 8)
    LEARNING_RATE: ClassVar[tuple[float, float]] = (1e-5, 10.0)
    BATCH_SIZE: ClassVar[tuple[int, int]] = (1, 100)
    L2: ClassVar[tuple[float, float]] = (0.0, 1.0)
    INIT_SCALE: ClassVar[tuple[float, float]] = (0.0, 100.0)
    QUERY_KEYS: ClassVar[dict[str, str]] = {
        "hidden": "layers", "activation": "act", "learning_rate": "lr", "batch_size": "batch",
        "l2": "l2", "init_scale": "init"}

    def __post_init__(self) -> None:
        object.__setattr__(self, "hidden", tuple(self.hidden))
        super().__post_init__()

    @classmethod
    def _clean(cls, get: Callable[[str], Any], default: dict[str, Any]) -> dict[str, Any]:
        """`hidden` may also come as "4,2"."""
        return {
            "hidden": _parse_hidden(get("hidden"), default["hidden"]),
            "activation": choice(get("activation"), ACTIVATIONS, default["activation"]),
            "learning_rate": number(get("learning_rate"), *cls.LEARNING_RATE,
                                     default["learning_rate"]),
            "batch_size": integer(get("batch_size"), *cls.BATCH_SIZE, default["batch_size"]),
            "l2": number(get("l2"), *cls.L2, default["l2"]),
            "init_scale": number(get("init_scale"), *cls.INIT_SCALE, default["init_scale"]),
        }

    def to_query(self) -> dict[str, str]:
        """As the base's, with "layers" as "4,2", or "0" for no hidden layer."""
        return {**super().to_query(), "layers": ",".join(map(str, self.hidden)) or "0"}


# ---------------------------------------------------------------------------------------
# Data


@dataclass(frozen=True)
class DataSet:
    """Train and test points: x float32 [N, 2], y int64 [N] of 0/1, on the CPU."""
    train_x: torch.Tensor
    train_y: torch.Tensor
    test_x: torch.Tensor
    test_y: torch.Tensor


def _clean_points(kind: str, n0: int, n1: int, rng: np.random.Generator
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Noise-free points [n0 + n1, 2] in about [-1, 1]² and their labels [n0 + n1]."""
    labels = np.repeat([0, 1], [n0, n1])
    if kind == "circle":  # label 1 inside radius 0.5, label 0 on the ring 0.7..1
        radius = np.where(labels == 1, rng.uniform(0.0, 0.5, n0 + n1),
                          rng.uniform(0.7, 1.0, n0 + n1))
        angle = rng.uniform(0.0, 2 * np.pi, n0 + n1)
        xy = radius[:, None] * np.stack([np.cos(angle), np.sin(angle)], axis=1)
    elif kind == "xor":  # label 1 where x·y > 0, kept 0.05 away from the axes
        magnitude = rng.uniform(0.05, 1.0, (n0 + n1, 2))
        sign_x = rng.choice([-1.0, 1.0], n0 + n1)
        sign_y = np.where(labels == 1, sign_x, -sign_x)
        xy = magnitude * np.stack([sign_x, sign_y], axis=1)
    elif kind == "blobs":  # two Gaussian blobs of spread 0.15 at ±(0.5, 0.5)
        centre = np.where(labels[:, None] == 1, 0.5, -0.5)
        xy = centre + rng.normal(0.0, 0.15, (n0 + n1, 2))
    elif kind == "spiral":  # two interleaved arms, 1.75 turns each, radius 0..1
        t = np.concatenate([np.arange(n0) / n0, np.arange(n1) / n1])
        angle = 1.75 * 2 * np.pi * t + np.where(labels == 1, 0.0, np.pi)
        xy = t[:, None] * np.stack([np.sin(angle), np.cos(angle)], axis=1)
    else:
        raise ValueError(f"unknown data set {kind!r}; one of {KINDS}")
    return xy, labels


def _split(xy: np.ndarray, labels: np.ndarray, test_fraction: float,
           rng: np.random.Generator) -> DataSet:
    """Shuffle and split; at least one training point, and one test point if there are two."""
    n = len(labels)
    n_test = min(max(round(n * test_fraction), 1 if n >= 2 else 0), n - 1)
    order = rng.permutation(n)
    xy = torch.from_numpy(np.asarray(xy, dtype=np.float32)[order])
    labels = torch.from_numpy(np.asarray(labels, dtype=np.int64)[order])
    return DataSet(train_x=xy[n_test:], train_y=labels[n_test:],
                   test_x=xy[:n_test], test_y=labels[:n_test])


def make_data(config: DataConfig) -> DataSet:
    """The data set `config` describes; the same config always gives the same points."""
    rng = np.random.default_rng(config.seed)
    n1 = config.points // 2
    xy, labels = _clean_points(config.kind, config.points - n1, n1, rng)
    xy = np.clip(xy + rng.normal(0.0, config.noise, xy.shape), -PLANE, PLANE)
    return _split(xy, labels, config.test_fraction, rng)


def drawn_data(points: Iterable[Sequence[Any]], test_fraction: float = DataConfig.test_fraction,
               seed: int = DataConfig.seed) -> DataSet:
    """Draw your own: a data set from the visitor's (x, y, label) points, split by
    `test_fraction` (clamped as in DataConfig) with `seed`.

    Coordinates are clipped to the plane, a label is 1 if truthy else 0, and points with a
    non-finite or unreadable coordinate are dropped. Raises ValueError if none is left.
    """
    xy, labels = [], []
    for point in points:
        try:
            x, y, label = float(point[0]), float(point[1]), 1 if point[2] else 0
        except (TypeError, ValueError, IndexError):
            continue
        if math.isfinite(x) and math.isfinite(y):
            xy.append((min(max(x, -PLANE), PLANE), min(max(y, -PLANE), PLANE)))
            labels.append(label)
    if not xy:
        raise ValueError("draw at least one point to train on")
    fraction = number(test_fraction, *DataConfig.TEST_FRACTION, DataConfig.test_fraction)
    rng = np.random.default_rng(integer(seed, *DataConfig.SEED, DataConfig.seed))
    return _split(np.array(xy), np.array(labels), fraction, rng)


# ---------------------------------------------------------------------------------------
# Network and training


def _activation(name: str) -> nn.Module:
    return {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid,
            "linear": nn.Identity}[name]()


def build_network(config: NetworkConfig, seed: int = 0) -> nn.Sequential:
    """The MLP 2 -> hidden... -> 1 logit: Linear, activation, ..., Linear, on the gallery's
    device. Weights start Glorot-uniform (He-uniform for ReLU) times `init_scale`, biases 0;
    the same (config, seed) gives the same θ on every device (it is drawn on the CPU)."""
    sizes = (2, *config.hidden, 1)
    layers: list[nn.Module] = []
    for i, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(nn.Linear(fan_in, fan_out))
        if i < len(sizes) - 2:
            layers.append(_activation(config.activation))
    net = nn.Sequential(*layers)
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for layer in linear_layers(net):
            if config.activation == "relu":
                nn.init.kaiming_uniform_(layer.weight, nonlinearity="relu", generator=generator)
            else:
                nn.init.xavier_uniform_(layer.weight, generator=generator)
            layer.weight.mul_(config.init_scale)
            layer.bias.zero_()
    return net.to(get_device())


def linear_layers(net: nn.Sequential) -> list[nn.Linear]:
    """The Linear layers, input side first: len(hidden) + 1 of them."""
    return [module for module in net if isinstance(module, nn.Linear)]


def make_optimizer(net: nn.Sequential, config: NetworkConfig) -> torch.optim.SGD:
    """Plain SGD (no momentum) at config.learning_rate; l2 is weight decay on the weights
    only, i.e. the gradient of (l2/2)·Σ‖W‖², never on the biases."""
    weights = [layer.weight for layer in linear_layers(net)]
    biases = [layer.bias for layer in linear_layers(net)]
    return torch.optim.SGD([{"params": weights, "weight_decay": config.l2},
                            {"params": biases, "weight_decay": 0.0}], lr=config.learning_rate)


@dataclass(frozen=True)
class StepReport:
    """Where training stands after a chunk of steps, as plain Python numbers.

    step: minibatch steps done in total; epoch: passes over the training set so far
    (step · batch / N_train, fractional). Losses (binary cross-entropy, mean over the
    points, without the L2 term) and accuracies are over the whole train / test set after
    the last step; nan for an empty test set. gradient_magnitudes: one per Linear layer,
    input side first, the root mean square ‖∂L/∂W‖_F / sqrt(numel W) of that layer's weight
    gradient in the chunk's last step (its minibatch loss, without the L2 term), comparable
    across layers of different sizes.
    """
    step: int
    epoch: float
    train_loss: float
    test_loss: float
    train_accuracy: float
    test_accuracy: float
    gradient_magnitudes: list[float]

    @property
    def diverged(self) -> bool:
        """The loss is no longer a number (learning rate far too high)."""
        return not math.isfinite(self.train_loss)


def effective_batch_size(data: DataSet, config: NetworkConfig) -> int:
    """The minibatch size: config.batch_size, at most the whole training set."""
    return min(config.batch_size, len(data.train_y))


def steps_per_epoch(data: DataSet, config: NetworkConfig) -> float:
    """Minibatch steps per pass over the training set (fractional when B does not divide N)."""
    return len(data.train_y) / effective_batch_size(data, config)


def training_budget(data: DataSet, config: NetworkConfig) -> int:
    """Steps after which a page stops training: MAX_EPOCHS epochs, at most MAX_STEPS."""
    return min(MAX_STEPS, math.ceil(MAX_EPOCHS * steps_per_epoch(data, config)))


def minibatch_indices(n: int, batch: int, first_step: int, steps: int, seed: int
                      ) -> torch.Tensor:
    """Training-point indices [steps, batch] of steps first_step ... first_step + steps - 1.

    The minibatches tile one endless sequence: epoch e is a permutation of range(n) drawn
    from (seed, e), and step k takes its positions k·batch ... (k + 1)·batch - 1, so a batch
    can straddle two epochs and chunks of any size give the same steps as one long run.
    """
    start, stop = first_step * batch, (first_step + steps) * batch
    epochs = range(start // n, -(-stop // n))
    sequence = np.concatenate([np.random.default_rng([seed, e]).permutation(n) for e in epochs]
                              or [np.zeros(0, dtype=np.int64)])
    offset = epochs.start * n
    return torch.from_numpy(sequence[start - offset:stop - offset].reshape(steps, batch))


@torch.no_grad()
def evaluate(net: nn.Sequential, x: torch.Tensor, y: torch.Tensor) -> tuple[float, float]:
    """(mean BCE loss, accuracy) of net on points x [N, 2] with labels y [N]; nans if N = 0."""
    if len(y) == 0:
        return math.nan, math.nan
    device = model_device(net)
    x, y = x.to(device), y.to(device)
    logits = net(x).squeeze(1)  # [N]
    loss = F.binary_cross_entropy_with_logits(logits, y.float())
    accuracy = ((logits > 0).long() == y).float().mean()
    return loss.item(), accuracy.item()


def gradient_magnitudes(net: nn.Sequential) -> list[float]:
    """RMS of each Linear layer's weight gradient, ‖∂L/∂W‖_F / sqrt(numel), input side first
    (0 where there is no gradient yet)."""
    return [0.0 if layer.weight.grad is None
            else (layer.weight.grad.norm() / math.sqrt(layer.weight.numel())).item()
            for layer in linear_layers(net)]


def train_steps(net: nn.Sequential, optimizer: torch.optim.Optimizer, data: DataSet,
                config: NetworkConfig, steps: int, *, first_step: int = 0, seed: int = 0
                ) -> StepReport:
    """Do `steps` minibatch SGD steps on data.train_* and report (see StepReport).

    first_step is how many steps were done before (the minibatch order continues from
    there, see minibatch_indices). steps = 0 only evaluates; its gradient magnitudes are
    those of the whole training set's loss at the current θ, without an update.
    """
    device = model_device(net)
    x, y = data.train_x.to(device), data.train_y.to(device).float()  # [N, 2], [N]
    batch = effective_batch_size(data, config)
    net.train()
    if steps == 0:
        optimizer.zero_grad()
        F.binary_cross_entropy_with_logits(net(x).squeeze(1), y).backward()
    for indices in minibatch_indices(len(y), batch, first_step, steps, seed).to(device):
        optimizer.zero_grad()
        loss = F.binary_cross_entropy_with_logits(net(x[indices]).squeeze(1), y[indices])
        loss.backward()
        optimizer.step()
    magnitudes = gradient_magnitudes(net)
    net.eval()
    train_loss, train_accuracy = evaluate(net, data.train_x, data.train_y)
    test_loss, test_accuracy = evaluate(net, data.test_x, data.test_y)
    step = first_step + steps
    return StepReport(step=step, epoch=step * batch / len(y), train_loss=train_loss,
                      test_loss=test_loss, train_accuracy=train_accuracy,
                      test_accuracy=test_accuracy, gradient_magnitudes=magnitudes)


# ---------------------------------------------------------------------------------------
# Pictures


def grid(resolution: int = RESOLUTION) -> torch.Tensor:
    """The plane's grid points [R·R, 2] in image order: row-major, row 0 at the top
    (y = +PLANE), column 0 at the left (x = -PLANE); point r·R + c is pixel (r, c)."""
    axis = torch.linspace(-PLANE, PLANE, resolution)
    ys, xs = torch.meshgrid(axis.flip(0), axis, indexing="ij")  # [R, R] each
    return torch.stack([xs.reshape(-1), ys.reshape(-1)], dim=1)


@torch.no_grad()
def surfaces(net: nn.Sequential, resolution: int = RESOLUTION
             ) -> tuple[np.ndarray, list[np.ndarray]]:
    """What the network computes over the plane, from one batched forward pass over grid().

    Returns (output float32 [R, R]: σ(logit), the probability of label 1; neurons: per hidden
    layer, float32 [neurons, R, R] of its activations after the nonlinearity), in image
    order (see grid).
    """
    x = grid(resolution).to(model_device(net))  # [R·R, 2]
    neurons = []
    for module in net:
        x = module(x)
        if not isinstance(module, nn.Linear):  # an activation: one hidden layer done
            neurons.append(x.T.reshape(-1, resolution, resolution).cpu().numpy())
    output = torch.sigmoid(x).reshape(resolution, resolution).cpu().numpy()
    return output, neurons


# ---------------------------------------------------------------------------------------
# A training session and the lecture's presets


class Trainer:
    """One visitor's training run: the network, its optimizer, the data and the step count.

    `run(steps)` trains one chunk (e.g. one animation frame) and never past the budget;
    `report` is the latest StepReport (step 0 is an evaluation at the initial θ).
    """

    def __init__(self, data: DataSet, config: NetworkConfig, seed: int = 0) -> None:
        self.data, self.config, self.seed = data, config, seed
        self.net = build_network(config, seed)
        self.optimizer = make_optimizer(self.net, config)
        self.budget = training_budget(data, config)
        self.report = train_steps(self.net, self.optimizer, data, config, 0, seed=seed)

    @property
    def step(self) -> int:
        return self.report.step

    @property
    def finished(self) -> bool:
        """The budget is spent or the loss diverged: a page stops animating."""
        return self.step >= self.budget or self.report.diverged

    def run(self, steps: int) -> StepReport:
        steps = max(0, min(steps, self.budget - self.step))
        if steps:
            self.report = train_steps(self.net, self.optimizer, self.data, self.config, steps,
                                      first_step=self.step, seed=self.seed)
        return self.report

    def surfaces(self, resolution: int = RESOLUTION) -> tuple[np.ndarray, list[np.ndarray]]:
        return surfaces(self.net, resolution)


# Each preset shows one point of the lecture. The numbers are for Trainer(make_data(data),
# network, seed=0) on the CPU; tests/test_playground_backend.py checks each claim.
PRESETS: dict[str, tuple[DataConfig, NetworkConfig]] = {
    # No hidden layer is logistic regression: on two separated blobs it is at 100% train
    # (and test) accuracy from step 5 (loss 0.50 -> 0.03 by step 1000).
    "linear_separable": (DataConfig(kind="blobs", noise=0.0),
                         NetworkConfig(hidden=(), learning_rate=0.1)),
    # XOR: one hidden layer of 4 tanh neurons is at 99% train accuracy by step 500 (100% by
    # 1000). Without it (hidden=()) no line does better than 3 quadrants of 4: it stays at
    # 63-71% train, ~55% test accuracy, loss 0.66, however long it trains (5000 steps).
    "xor_needs_hidden": (DataConfig(kind="xor", noise=0.0),
                         NetworkConfig(hidden=(4,), activation="tanh", learning_rate=0.3)),
    # Six sigmoid layers of 4: the first layer's gradient is 2e-5 of the last one's (1.7e-6
    # vs 0.07 at step 0) and the loss sits at log 2 = 0.693 (50% accuracy) for all 5000 steps
    # of the budget.
    "vanishing_gradients_sigmoid": (DataConfig(kind="circle", noise=0.0),
                                    NetworkConfig(hidden=(4,) * 6, activation="sigmoid",
                                                  learning_rate=0.1)),
    # The same shape and learning rate with ReLU: the first layer's gradient is ~600x the
    # sigmoid net's, and the circle is learnt: 100% train accuracy by step 1000 (loss 0.005).
    "relu_deep": (DataConfig(kind="circle", noise=0.0),
                  NetworkConfig(hidden=(4,) * 6, activation="relu", learning_rate=0.1)),
    # Every weight x 0.3 (x 0.3^4 ~ 1/120 through the 4 layers): θ starts next to the saddle
    # at θ = 0, where every gradient is small (3e-4 per weight at step 0, 30x less than with
    # init_scale 1): the loss sits at log 2 for ~1500 steps, then falls (0.53 at step 2000,
    # 100% train accuracy by 5000). With init_scale 1 it has loss 0.05 and 100% by step 500.
    "careless_init": (DataConfig(kind="circle", noise=0.0),
                      NetworkConfig(hidden=(4, 4, 4), activation="tanh", learning_rate=0.1,
                                    init_scale=0.3)),
    # 20 noisy training points (and 180 test points), 177 parameters: train loss 0.004 by
    # step 300, while the test loss, lowest (0.49) around step 100, climbs to 1.0 at step
    # 300 and 1.4 at step 1000 (test accuracy ~77%).
    "memorize": (DataConfig(kind="xor", noise=0.25, points=200, test_fraction=0.9),
                 NetworkConfig(hidden=(8, 8, 8), activation="relu", learning_rate=0.3,
                               batch_size=5)),
    # The same points, 2 tanh neurons (9 parameters): it cannot memorize (train loss 0.35
    # at step 1000, 0.33 at 2000) and its test loss stays lower: 0.51 at step 1000, 0.61 at
    # 2000 (test accuracy ~78%).
    "small_generalizes": (DataConfig(kind="xor", noise=0.25, points=200, test_fraction=0.9),
                          NetworkConfig(hidden=(2,), activation="tanh", learning_rate=0.3,
                                        batch_size=5)),
}


def load() -> dict[str, Any]:
    """What every visitor shares: nothing trained, just the presets; one tiny forward and
    backward pass checks torch on the gallery's device (and warms a GPU up)."""
    first_pass(lambda: surfaces(build_network(NetworkConfig()), resolution=8))
    return {"presets": PRESETS}
