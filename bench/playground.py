"""Backend cost of the neural-network playground's animation.

    .venv/bin/python bench/playground.py [--resolution 64] [--fps 10] [--repeats 20]

Measures, in one run on the same device:
- the pictures: the output surface and every hidden neuron's picture over a resolution²
  grid, from one batched forward pass (backend.playground.surfaces) vs a per-point loop
  (one forward pass per grid point, activations collected layer by layer): the baseline;
- one animation frame = one epoch of training (FRAME_STEPS minibatch steps on the default
  data) + the pictures, for the default network (4, 2) tanh and the largest one (6 x 8 ReLU).
Frames are measured in CPU time (all threads of the process) as well as wall time; CPU-ms per
second of animation assumes the page redraws --fps frames a second. The last lines are the
ratios: batching's speed-up, and the largest network's frame cost over the default one's.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from backend.process import tune_process  # noqa: E402

tune_process()  # as the app does, before torch loads

from backend import playground as pg  # noqa: E402
from backend.device import device_label  # noqa: E402
from bench.timing import median_seconds  # noqa: E402
import torch  # noqa: E402

NETWORKS = {"default (4, 2) tanh": pg.NetworkConfig(),
            "largest 6 x 8 relu": pg.NetworkConfig(hidden=(8,) * 6, activation="relu")}


@torch.no_grad()
def surfaces_point_by_point(net: torch.nn.Sequential, resolution: int):
    """The baseline: the same pictures, one forward pass per grid point."""
    device = pg.model_device(net)
    outputs, neurons = [], []
    for point in pg.grid(resolution).to(device):
        h = point[None]
        layers = []
        for module in net:
            h = module(h)
            if not isinstance(module, torch.nn.Linear):
                layers.append(h[0])
        outputs.append(torch.sigmoid(h[0, 0]))
        neurons.append(layers)
    output = torch.stack(outputs).reshape(resolution, resolution).cpu().numpy()
    pictures = [torch.stack([layers[i] for layers in neurons]).T
                .reshape(-1, resolution, resolution).cpu().numpy()
                for i in range(len(neurons[0]))]
    return output, pictures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--resolution", type=int, default=pg.RESOLUTION)
    parser.add_argument("--fps", type=float, default=10.0)
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()

    data = pg.make_data(pg.DataConfig())
    frame_steps = round(pg.steps_per_epoch(data, pg.NetworkConfig()))
    print(f"device {device_label()}, torch threads {torch.get_num_threads()}, "
          f"grid {args.resolution}x{args.resolution}, data {pg.DataConfig()}")
    print(f"one frame = {frame_steps} SGD steps (one epoch of {len(data.train_y)} training "
          f"points, batch {pg.NetworkConfig().batch_size}) + output and neuron pictures; "
          f"{args.fps:g} frames per second")

    frame_cpu, batching = {}, {}
    for name, config in NETWORKS.items():
        trainer = pg.Trainer(data, config)
        trainer.run(50)  # past the first steps, as during an animation
        output, neurons = trainer.surfaces(args.resolution)
        loop_output, loop_neurons = surfaces_point_by_point(trainer.net, args.resolution)
        assert abs(output - loop_output).max() < 1e-5
        assert all(abs(a - b).max() < 1e-5 for a, b in zip(neurons, loop_neurons))

        batched = median_seconds(lambda: trainer.surfaces(args.resolution), args.repeats)
        point_by_point = median_seconds(
            lambda: surfaces_point_by_point(trainer.net, args.resolution), max(3, args.repeats // 5))
        batching[name] = point_by_point / batched

        def frame():
            trainer.run(frame_steps)
            return trainer.surfaces(args.resolution)

        trainer.budget = 10**9  # measure frames, not the budget's stop
        steps_cpu = median_seconds(lambda: trainer.run(frame_steps), args.repeats, time.process_time)
        frame_wall = median_seconds(frame, args.repeats)
        frame_cpu[name] = median_seconds(frame, args.repeats, time.process_time)
        print(f"\n{name}:")
        print(f"  pictures, batched (1 pass over {args.resolution ** 2} points): "
              f"{batched * 1e3:8.3f} ms wall")
        print(f"  pictures, point by point:                {point_by_point * 1e3:8.1f} ms wall"
              f"   (batching {batching[name]:.0f}x faster)")
        print(f"  {frame_steps} training steps: {steps_cpu * 1e3:.2f} CPU-ms "
              f"({steps_cpu / frame_steps * 1e3:.3f} per step)")
        print(f"  one frame: {frame_cpu[name] * 1e3:.2f} CPU-ms, {frame_wall * 1e3:.2f} ms wall; "
              f"{frame_cpu[name] * args.fps * 1e3:.0f} CPU-ms per second of animation "
              f"(one core animates ~{1 / (frame_cpu[name] * args.fps):.0f} visitors at "
              f"{args.fps:g} fps)")

    default, largest = NETWORKS
    print()
    for name, ratio in batching.items():
        print(f"ratio pictures point by point / batched, {name}: {ratio:.1f}")
    print(f"ratio frame CPU time largest / default network: "
          f"{frame_cpu[largest] / frame_cpu[default]:.2f}")


if __name__ == "__main__":
    main()
