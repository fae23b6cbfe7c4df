"""Unit tests of backend.wasserstein: exact transport, the trained dual, the 2-D (W)GAN.

Closed-form cases for POT, short seeded training runs for the networks; the whole file runs
in ~20 s on two busy CPU cores.
"""
import dataclasses

import numpy as np
import pytest
import torch

from backend import wasserstein as ws
from backend.wasserstein import CriticConfig, GanConfig, PointsConfig

DUAL_STEPS = 300  # critic steps per preset: enough to settle at the default lr (0.005)


# --- exact transport ---------------------------------------------------------------------

def test_shifted_set_costs_the_shift_and_pairs_each_point_with_its_twin():
    rng = np.random.default_rng(3)
    mu = rng.normal(0.0, 0.3, (40, 2))
    shift = np.array([0.6, -0.8])  # |v| = 1
    order = rng.permutation(40)  # ν listed in another order: the plan must find the twins
    nu = (mu + shift)[order]
    distance, plan = ws.exact_distance(mu, nu)
    assert distance == pytest.approx(1.0, abs=1e-6)
    assert plan.shape == (40, 40) and plan.sum() == pytest.approx(1.0)
    twin = np.argsort(order)  # μ_i's twin is ν_twin[i]
    assert np.allclose(plan[np.arange(40), twin], 1 / 40)
    lines = ws.transport_lines(mu, nu, plan)
    assert len(lines) == 40 and lines.masses.sum() == pytest.approx(1.0)
    assert np.allclose(lines.ends - lines.starts, shift)


def test_points_on_a_line_cost_the_sorted_matching():
    rng = np.random.default_rng(4)
    x, y = rng.normal(0, 1, 30), rng.normal(0.5, 2, 30)
    on_line = lambda t: np.stack([t, 0.5 * t], axis=1)  # noqa: E731 — the line y = x/2
    distance, _ = ws.exact_distance(on_line(x), on_line(y))
    expected = np.abs(np.sort(x) - np.sort(y)).mean() * np.sqrt(1.25)
    assert distance == pytest.approx(expected, rel=1e-6)
    # unequal sizes, lists of pairs: uniform weights 1/N and 1/M
    distance, plan = ws.exact_distance([(0, 0), (2, 0)], [(1, 0)])
    assert distance == pytest.approx(1.0) and np.allclose(plan, [[0.5], [0.5]])


def test_preset_shift_is_exact_and_point_sets_are_seeded():
    mu, nu = ws.make_points(PointsConfig(kind="shifted_blob", points=50))
    assert torch.allclose(nu - mu, torch.tensor(ws.SHIFT))
    for kind in ws.SETS:
        config = PointsConfig(kind=kind, points=33, seed=2)
        a, b = ws.make_points(config)
        assert a.shape == b.shape == (33, 2) and a.dtype == torch.float32
        assert torch.equal(a, ws.make_points(config)[0])
        assert a.abs().max() <= ws.PLANE and b.abs().max() <= ws.PLANE
    mu, nu = ws.make_points(PointsConfig(kind="disjoint"))
    assert ws.exact_distance(mu, nu)[0] >= 2.0


def test_placed_points_drop_junk_and_clip():
    points = ws.placed_points([(0.5, 1), ("x", 2), (float("nan"), 0), (9, -9), [1]])
    assert points.tolist() == [[0.5, 1.0], [ws.PLANE, -ws.PLANE]]
    assert ws.placed_points([]).shape == (0, 2)
    with pytest.raises(ValueError):
        ws.exact_distance(ws.placed_points([]), points)


# --- the dual ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def dual_runs():
    """Per preset: (exact W1, a GP critic after DUAL_STEPS steps)."""
    runs = {}
    for kind in ws.SETS:
        mu, nu = ws.make_points(PointsConfig(kind=kind))
        trainer = ws.CriticTrainer(mu, nu, CriticConfig(), seed=0)
        trainer.run(DUAL_STEPS)
        runs[kind] = (ws.exact_distance(mu, nu)[0], trainer)
    return runs


def test_trained_critic_estimates_the_exact_distance(dual_runs):
    errors = {kind: trainer.report.dual / exact - 1 for kind, (exact, trainer) in dual_runs.items()}
    table = "\n".join(f"{kind:>18}: exact {exact:.3f}, dual {trainer.report.dual:.3f}, "
                      f"error {errors[kind]:+.1%}, mean |grad f| {trainer.report.gradient_norm:.2f}"
                      for kind, (exact, trainer) in dual_runs.items())
    print("\n" + table)
    assert sum(abs(error) < 0.10 for error in errors.values()) >= 2, table
    assert all(abs(error) < 0.25 for error in errors.values()), table


def test_gradient_penalty_keeps_the_slope_near_one(dual_runs):
    norms = {kind: trainer.report.gradient_norm for kind, (_, trainer) in dual_runs.items()}
    assert all(0.7 < norm < 1.3 for norm in norms.values()), norms
    # the reported norm is the mean over the probe points of the batched gradient field
    trainer = dual_runs["shifted_blob"][1]
    field = trainer.gradients(trainer.probe)
    assert np.linalg.norm(field, axis=1).mean() == pytest.approx(norms["shifted_blob"], rel=1e-5)


def test_clipping_keeps_every_weight_within_c():
    mu, nu = ws.make_points(PointsConfig(kind="two_modes_vs_one", points=64))
    config = CriticConfig(constraint="clip", clip=0.05, learning_rate=0.01)
    trainer = ws.CriticTrainer(mu, nu, config)
    assert isinstance(trainer.optimizer, torch.optim.RMSprop)
    report = trainer.run(40)
    assert report.max_weight <= 0.05 + 1e-7
    assert all(p.abs().max() <= 0.05 + 1e-7 for p in trainer.critic.parameters())
    exact = ws.exact_distance(mu, nu)[0]
    assert 0 < report.dual < exact  # a scaled-down K·W1, K < 1 at this small c


def test_heatmap_batched_equals_a_per_point_loop():
    critic = ws.build_critic(CriticConfig(width=16), seed=1)
    picture = ws.heatmap(critic, resolution=12)
    assert picture.shape == (12, 12) and picture.dtype == np.float32
    with torch.no_grad():
        loop = np.array([critic(point[None]).item() for point in ws.grid(12)]).reshape(12, 12)
    assert np.allclose(picture, loop, atol=1e-6)
    # grid order: row 0 is the top (y = +PLANE), column 0 the left (x = -PLANE)
    assert ws.grid(12)[0].tolist() == [-ws.PLANE, ws.PLANE]
    points = np.array([[0.1, 0.2], [-1.0, 0.5]])
    field = ws.critic_gradients(critic, points)
    for point, gradient in zip(points, field):
        x = torch.tensor(point[None], dtype=torch.float32, requires_grad=True)
        critic(x).sum().backward()
        assert np.allclose(gradient, x.grad[0].numpy(), atol=1e-6)


def test_budget_stops_the_critic():
    mu, nu = ws.make_points(PointsConfig(points=8))
    trainer = ws.CriticTrainer(mu, nu, CriticConfig(width=4))
    trainer.step = ws.MAX_STEPS - 2
    assert trainer.run(10).step == ws.MAX_STEPS and trainer.finished


# --- the GAN -----------------------------------------------------------------------------

def test_wgan_estimate_falls_during_training():
    """The estimate swings while the generator chases the critic, and its path differs
    between CPUs (at step 120 it stood at 0.39 on one, from 0.64: above the half an earlier
    version of this test asked for), so the late level is a mean over the last 60 of 240
    steps: 0.06-0.14 for seeds 0-2, from 0.64-0.74."""
    mu, _ = ws.make_points(PointsConfig(kind="ring_vs_blob"))
    trainer = ws.GanTrainer(mu, CriticConfig(), GanConfig(), seed=0)
    values = [trainer.run(10).critic_value for _ in range(24)]
    early, late = np.mean(values[:3]), np.mean(values[-6:])
    assert late < 0.5 * early, values
    assert trainer.step == 240 and trainer.report.critic_steps == 1200
    assert trainer.fake_points(10).shape == (10, 2)
    # the same noise, so the same points; a batch of another size may round differently
    np.testing.assert_allclose(trainer.fake_points(5), trainer.fake_points(10)[:5], atol=1e-6)


def test_on_disjoint_supports_the_gan_push_vanishes_and_the_wgan_push_does_not():
    """Arjovsky & Bottou 2017: a discriminator trained on disjoint supports saturates and
    the minimax generator's gradient vanishes; -log D's grows; the WGAN critic's stays ~1."""
    target, _ = ws.make_points(PointsConfig(kind="disjoint"))
    pushes = {}
    for loss in ws.LOSSES:
        trainer = ws.GanTrainer(target, CriticConfig(), GanConfig(loss=loss), seed=0)
        trainer.train_critic(200)  # the generator stays put, around the origin
        points, directions = trainer.arrows(n=64)
        assert points.shape == directions.shape == (64, 2)
        pushes[loss] = float(np.linalg.norm(directions, axis=1).mean())
    ratio = pushes["gan_minimax"] / pushes["wasserstein"]
    message = f"mean push at the fakes {pushes}, minimax GAN / WGAN = {ratio:.1e}"
    print("\n" + message)
    assert 0.7 < pushes["wasserstein"] < 1.3, message
    assert ratio < 0.05, message
    assert pushes["gan"] > pushes["wasserstein"], message  # non-saturating: large, not vanishing


def test_gan_heatmap_is_a_probability():
    target, _ = ws.make_points(PointsConfig(kind="disjoint", points=32))
    trainer = ws.GanTrainer(target, CriticConfig(width=8), GanConfig(loss="gan"))
    trainer.run(2)
    picture = trainer.heatmap(10)
    assert picture.shape == (10, 10) and 0 <= picture.min() and picture.max() <= 1
    assert 0 < trainer.report.critic_value and np.isfinite(trainer.report.generator_loss)


# --- configs, presets, load ----------------------------------------------------------------

@pytest.mark.parametrize("cls", [PointsConfig, CriticConfig, GanConfig])
def test_configs_round_trip_and_junk_falls_back(cls):
    default = cls()
    assert cls.from_query(default.to_query()) == default
    junk = {key: ["1", "junk"] if i % 2 else "nan" for i, key in enumerate(cls.QUERY_KEYS.values())}
    assert cls.from_query(junk) == default
    assert cls.from_query({}) == default


def test_configs_clamp_and_validate():
    assert CriticConfig.from_query({"lip": "CLIP", "clip": "-3", "cw": "1e9"}) == CriticConfig(
        constraint="clip", clip=CriticConfig.CLIP[0], width=CriticConfig.WIDTH[1])
    assert GanConfig.from_query({"loss": "gan_minimax", "ncrit": "0"}) == GanConfig(
        loss="gan_minimax", n_critic=1)
    assert PointsConfig.from_query({"set": "disjoint", "n": "7.4"}) == PointsConfig(
        kind="disjoint", points=7)
    with pytest.raises(ValueError):
        CriticConfig(penalty=-1.0)
    config = GanConfig(loss="gan")
    assert GanConfig.from_query(dataclasses.replace(config, n_critic=3).to_query()).n_critic == 3


def test_load_and_presets():
    shared = ws.load()
    assert set(shared["presets"]) >= {"shifted_blob", "disjoint_wgan", "disjoint_gan"}
    for points, critic, gan in shared["presets"].values():
        assert isinstance(points, PointsConfig) and isinstance(critic, CriticConfig)
        assert isinstance(gan, GanConfig)
