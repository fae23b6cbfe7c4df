"""Backend cost of the Wasserstein page: critic steps batched vs per sample, and one frame.

    .venv/bin/python bench/wasserstein.py [--points 200] [--frame-steps 2] [--repeats 10]

Measures, in one run on the same device:
- critic steps (WGAN-GP: the dual's E_μ[f] - E_ν[f] and the gradient penalty at
  interpolates, then an Adam step) on the default critic and `--points` points per set:
  batched (backend.wasserstein.critic_step, the whole batch in one forward and one double
  backward pass) vs the baseline, the same step's gradients accumulated one sample at a
  time (the same epsilons, so the same update; checked before timing);
- one animation frame of the page's GAN part: `--frame-steps` generator steps (each after
  n_critic = 5 critic steps) + the critic's heatmap + the arrows at ARROWS fakes + 256 fake
  points, in CPU time (all threads) and wall time; and one frame of the dual part
  (CRITIC_FRAME_STEPS critic steps + heatmap).
The last line is the ratio: batching's speed-up on critic steps.
"""
from __future__ import annotations

import argparse
import copy
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from backend.process import tune_process  # noqa: E402

tune_process()  # as the app does, before torch loads

from backend import wasserstein as ws  # noqa: E402
from backend.device import device_label, model_device  # noqa: E402
from bench.timing import median_seconds  # noqa: E402
import torch  # noqa: E402

CRITIC_FRAME_STEPS = 5


def per_sample_step(critic, optimizer, config, real, fake, generator) -> float:
    """The baseline: critic_step's update, its loss's gradient accumulated point by point.
    Draws the interpolates' epsilons exactly as critic_step does (one draw for the batch)."""
    x_hat = ws.interpolates(real, fake, generator)
    optimizer.zero_grad()
    n, dual = len(real), 0.0
    for i in range(n):
        term = -(critic(real[i:i + 1]) - critic(fake[i:i + 1])).sum() / n
        dual -= term.item()
        if config.constraint == "gp" and config.penalty > 0:
            term = term + config.penalty * ws.gradient_penalty(critic, x_hat[i:i + 1]) / n
        term.backward()
    optimizer.step()
    return dual


def check_same_update(config, real, fake) -> None:
    critic = ws.build_critic(config, seed=0)
    twin = copy.deepcopy(critic)
    opt, twin_opt = ws.critic_optimizer(critic, config), ws.critic_optimizer(twin, config)
    a = ws.critic_step(critic, opt, config, real, fake, torch.Generator().manual_seed(5))
    b = per_sample_step(twin, twin_opt, config, real, fake, torch.Generator().manual_seed(5))
    assert abs(a - b) < 1e-4, (a, b)
    for p, q in zip(critic.parameters(), twin.parameters()):
        assert torch.allclose(p, q, atol=1e-5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--points", type=int, default=ws.PointsConfig.points)
    parser.add_argument("--frame-steps", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=10)
    args = parser.parse_args()

    config = ws.CriticConfig()
    mu, nu = ws.make_points(ws.PointsConfig(kind="two_modes_vs_one", points=args.points))
    critic = ws.build_critic(config, seed=0)
    device = model_device(critic)
    real, fake = mu.to(device), nu.to(device)
    check_same_update(config, real, fake)
    print(f"device {device_label()}, torch threads {torch.get_num_threads()}, "
          f"critic {config.layers} x {config.width} ReLU, {args.points} points per set")

    optimizer = ws.critic_optimizer(critic, config)
    random = torch.Generator().manual_seed(0)
    batched = median_seconds(
        lambda: ws.critic_step(critic, optimizer, config, real, fake, random), args.repeats)
    loop_repeats = max(1, args.repeats // 5)
    one_by_one = median_seconds(
        lambda: per_sample_step(critic, optimizer, config, real, fake, random), loop_repeats)
    print(f"critic step, per sample: {1000 * one_by_one:8.2f} ms  ({1 / one_by_one:7.1f} steps/s, "
          f"median of {loop_repeats})")
    print(f"critic step, batched:    {1000 * batched:8.2f} ms  ({1 / batched:7.1f} steps/s, "
          f"median of {args.repeats})")

    dual = ws.CriticTrainer(mu, nu, config)
    dual.run(20)

    def dual_frame() -> None:
        dual.step = 0  # stay inside the budget however many repeats
        dual.run(CRITIC_FRAME_STEPS)
        dual.heatmap()

    gan = ws.GanTrainer(mu, config, ws.GanConfig())
    gan.run(5)

    def gan_frame() -> None:
        gan.critic_steps = 0
        gan.run(args.frame_steps)
        gan.heatmap()
        gan.arrows()
        gan.fake_points(256)

    for name, frame in (
            (f"dual frame ({CRITIC_FRAME_STEPS} critic steps + {ws.RESOLUTION}² heatmap)", dual_frame),
            (f"GAN frame ({args.frame_steps} generator steps x {gan.config.n_critic} critic "
             f"steps + heatmap + {ws.ARROWS} arrows + 256 fakes)", gan_frame)):
        cpu = 1000 * median_seconds(frame, args.repeats, clock=time.process_time)
        wall = 1000 * median_seconds(frame, args.repeats)
        print(f"{name}: {cpu:.1f} CPU-ms, {wall:.1f} ms wall (median of {args.repeats})")
    print(f"speed-up of batching on critic steps (per-sample / batched): "
          f"{one_by_one / batched:.1f}x")


if __name__ == "__main__":
    main()
