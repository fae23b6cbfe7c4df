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


# --- what a visitor's settings and the page's pictures rely on ------------------------------

@pytest.mark.parametrize("config", [
    CriticConfig(constraint="clip", penalty=2.5, clip=0.3, learning_rate=0.02, width=16,
                 layers=3, batch=32),
    GanConfig(loss="gan", n_critic=2, generator_lr=0.003, generator_width=16,
              generator_layers=3)])
def test_every_non_default_setting_survives_the_url(config):
    assert type(config).from_query(config.to_query()) == config


def test_point_sets_have_their_documented_shapes():
    config = lambda kind: PointsConfig(kind=kind, points=400, seed=1)  # noqa: E731
    mu, nu = (p.numpy() for p in ws.make_points(config("shifted_blob")))
    assert np.allclose(mu.mean(0), [-0.5, 0.0], atol=0.05) and 0.2 < mu.std(0).min() < 0.3
    mu, nu = (p.numpy() for p in ws.make_points(config("ring_vs_blob")))
    radius, angle = np.linalg.norm(mu, axis=1), np.arctan2(mu[:, 1], mu[:, 0])
    assert abs(radius.mean() - 1) < 0.02 and 0.03 < radius.std() < 0.07
    # the whole circle, not an arc: every quarter holds about a quarter of the points
    assert all(80 < np.sum(np.floor((angle + np.pi) / (np.pi / 2)) == q) < 120 for q in range(4))
    assert np.allclose(nu.mean(0), 0, atol=0.05) and 0.15 < nu.std(0).min() < 0.25
    mu, nu = (p.numpy() for p in ws.make_points(config("two_modes_vs_one")))
    assert np.allclose(mu[::2].mean(0), [-1, 0], atol=0.05)  # half left, half right
    assert np.allclose(mu[1::2].mean(0), [1, 0], atol=0.05)
    assert 0.1 < mu[::2].std(0).min() and mu[::2].std(0).max() < 0.2
    assert np.allclose(nu.mean(0), 0, atol=0.05) and 0.1 < nu.std(0).min() < nu.std(0).max() < 0.2
    mu, nu = (p.numpy() for p in ws.make_points(config("disjoint")))
    assert np.all(mu[:, 0] == 1) and np.all(nu[:, 0] == -1)
    for y in (mu[:, 1], nu[:, 1]):
        assert -1 <= y.min() < -0.95 and 0.95 < y.max() <= 1


def test_transport_lines_keep_only_mass_above_the_tolerance_heaviest_first():
    mu, nu = [(0, 0), (1, 0), (2, 0)], [(0, 1), (1, 1), (2, 1)]
    plan = np.array([[0.1, 0.0, 0.0], [0.0, 0.5, 0.0], [0.0, 0.0, 0.4]])
    lines = ws.transport_lines(mu, nu, plan, tolerance=0.0)
    assert lines.masses.tolist() == [0.5, 0.4, 0.1]  # zeros dropped even at tolerance 0
    assert lines.starts.tolist() == [[1, 0], [2, 0], [0, 0]]
    assert lines.ends.tolist() == [[1, 1], [2, 1], [0, 1]]


def test_networks_are_seeded_with_pytorch_default_ranges():
    config = CriticConfig(width=16)
    a, b, c = ws.build_critic(config, 3), ws.build_critic(config, 3), ws.build_critic(config, 4)
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters()))
    assert not torch.equal(a[0].weight, c[0].weight)
    for layer in a:
        if isinstance(layer, torch.nn.Linear):
            bound = 1 / np.sqrt(layer.in_features)
            for p in (layer.weight, layer.bias):
                assert p.abs().max() <= bound
                if p.numel() > 1:  # spread over the whole range, both signs
                    assert p.min() < 0 < p.max()


def test_a_clipping_critic_starts_clipped_and_a_penalty_critic_does_not():
    clipped = ws.build_critic(CriticConfig(constraint="clip", clip=0.05, width=16))
    assert max(p.abs().max().item() for p in clipped.parameters()) <= 0.05 + 1e-7
    free = ws.build_critic(CriticConfig(width=16))
    assert max(p.abs().max().item() for p in free.parameters()) > 0.3


def test_optimizers_use_the_visitor_learning_rates_and_gan_betas():
    target, _ = ws.make_points(PointsConfig(points=16))
    critic = CriticConfig(learning_rate=0.02, width=8)
    clip = dataclasses.replace(critic, constraint="clip")
    assert ws.CriticTrainer(target, target, clip).optimizer.param_groups[0]["lr"] == 0.02
    for loss in ("wasserstein", "gan"):
        trainer = ws.GanTrainer(target, critic, GanConfig(loss=loss, generator_lr=0.003,
                                                          generator_width=8))
        for optimizer, lr in ((trainer.critic_optimizer, 0.02),
                              (trainer.generator_optimizer, 0.003)):
            group = optimizer.param_groups[0]
            assert group["lr"] == lr and tuple(group["betas"]) == ws.GAN_BETAS, loss


def test_gan_discriminator_is_never_clipped_and_wgan_critic_is():
    target, _ = ws.make_points(PointsConfig(points=16))
    clip = CriticConfig(constraint="clip", clip=0.05, width=16)
    largest = lambda net: max(p.abs().max().item() for p in net.parameters())  # noqa: E731
    assert largest(ws.GanTrainer(target, clip, GanConfig()).critic) <= 0.05 + 1e-7
    assert largest(ws.GanTrainer(target, clip, GanConfig(loss="gan")).critic) > 0.3


def test_interpolates_lie_on_each_segment_at_a_seeded_random_place():
    real, fake = torch.randn(50, 2), torch.randn(50, 2)
    x = ws.interpolates(real, fake, torch.Generator().manual_seed(5))
    # x̂ - fake = ε (real - fake) with one ε in [0, 1] per pair, different between pairs
    epsilon = ((x - fake) / (real - fake)).numpy()
    assert np.allclose(epsilon[:, 0], epsilon[:, 1], atol=1e-4)
    assert 0 <= epsilon.min() and epsilon.max() <= 1 and epsilon[:, 0].std() > 0.1
    assert torch.equal(x, ws.interpolates(real, fake, torch.Generator().manual_seed(5)))


def test_batches_are_seeded_draws_or_the_whole_set():
    points = torch.arange(20.0).reshape(10, 2)
    assert ws._batch(points, 10, torch.Generator()) is points  # no more than size: all
    batch = ws._batch(points, 4, torch.Generator().manual_seed(1))
    assert batch.shape == (4, 2) and all(row in points.tolist() for row in batch.tolist())
    assert torch.equal(batch, ws._batch(points, 4, torch.Generator().manual_seed(1)))


def _critic_after_one_step(config, seed=0):
    mu, nu = ws.make_points(PointsConfig(points=16))
    critic = ws.build_critic(config, seed)
    ws.critic_step(critic, ws.critic_optimizer(critic, config), config, mu, nu,
                   torch.Generator().manual_seed(0))
    return [p.detach().clone() for p in critic.parameters()]


def test_penalty_weight_counts_with_gp_and_not_with_clipping():
    gp = CriticConfig(width=8, learning_rate=0.05)
    without, small = (_critic_after_one_step(dataclasses.replace(gp, penalty=lam))
                      for lam in (0.0, 0.5))
    assert not all(torch.equal(p, q) for p, q in zip(without, small))  # λ = 0.5 is used
    clip = dataclasses.replace(gp, constraint="clip", clip=1.0)
    assert all(torch.equal(p, q) for p, q in zip(
        _critic_after_one_step(clip), _critic_after_one_step(dataclasses.replace(clip, penalty=0.0))))


def test_discriminator_step_returns_the_bce_and_lowers_it():
    torch.manual_seed(0)
    real, fake = torch.randn(32, 2) + 1, torch.randn(32, 2) - 1
    critic = ws.build_critic(CriticConfig(width=8))
    optimizer = torch.optim.Adam(critic.parameters(), lr=0.01)
    bce = torch.nn.functional.binary_cross_entropy_with_logits
    with torch.no_grad():
        expected = 0.5 * (bce(critic(real), torch.ones(32, 1)) + bce(critic(fake), torch.zeros(32, 1)))
    losses = [ws.discriminator_step(critic, optimizer, real, fake) for _ in range(20)]
    assert losses[0] == pytest.approx(expected.item(), rel=1e-5)
    assert losses[-1] < losses[0]


def test_trainers_are_reproducible_per_seed_and_differ_between_seeds():
    mu, nu = ws.make_points(PointsConfig(points=24))
    critic = CriticConfig(width=8, batch=8)  # batches smaller than the sets: drawn at random

    def critic_run(seed):
        trainer = ws.CriticTrainer(mu, nu, critic, seed=seed)
        return trainer.report, trainer.run(3), trainer.heatmap(4)

    (first, after, picture), (again, after_again, picture_again) = critic_run(2), critic_run(2)
    assert first == again and after == after_again and np.array_equal(picture, picture_again)
    assert critic_run(3)[0] != first
    # the seed draws the networks' θ themselves, not just the batches and the noise
    first_layer = lambda net: net[0].weight  # noqa: E731
    assert not torch.equal(first_layer(ws.CriticTrainer(mu, nu, critic, seed=2).critic),
                           first_layer(ws.CriticTrainer(mu, nu, critic, seed=3).critic))
    for loss in ("wasserstein", "gan"):
        a, b = (ws.GanTrainer(mu, critic, GanConfig(loss=loss, generator_width=8), seed=seed)
                for seed in (2, 3))
        assert not torch.equal(first_layer(a.critic), first_layer(b.critic))
        assert not torch.equal(first_layer(a.generator), first_layer(b.generator))

    def gan_run(seed):
        trainer = ws.GanTrainer(mu, critic, GanConfig(n_critic=2, generator_width=8), seed=seed)
        start = trainer.fake_points(8)
        trainer.run(2)
        return start, trainer.report, trainer.fake_points(8)

    (start, report, fakes), (start2, report2, fakes2) = gan_run(2), gan_run(2)
    assert np.array_equal(start, start2) and report == report2 and np.array_equal(fakes, fakes2)
    other = gan_run(3)
    assert not np.array_equal(other[0], start)


def test_trainers_accept_single_points_and_refuse_empty_sets():
    one = torch.tensor([[0.5, 0.5]])
    assert ws.CriticTrainer(one, -one, CriticConfig(width=4)).run(1).step == 1
    assert ws.GanTrainer(one, CriticConfig(width=4), GanConfig(generator_width=4)).run(1).step == 1
    empty = torch.zeros(0, 2)
    for mu, nu in ((empty, one), (one, empty)):
        with pytest.raises(ValueError):
            ws.CriticTrainer(mu, nu, CriticConfig(width=4))
    with pytest.raises(ValueError):
        ws.GanTrainer(empty, CriticConfig(width=4), GanConfig())


def test_critic_trainer_counts_steps_from_zero_and_reports_the_probe_norm():
    mu, nu = ws.make_points(PointsConfig(points=16))
    trainer = ws.CriticTrainer(mu, nu, CriticConfig(width=8))
    assert trainer.step == 0 and trainer.report.step == 0
    assert trainer.run(0).step == 0 and trainer.run(3).step == 3
    norms = np.linalg.norm(trainer.gradients(trainer.probe), axis=1)
    assert trainer.report.gradient_norm == pytest.approx(norms.mean(), rel=1e-5)
    picture = trainer.heatmap(6)
    assert np.array_equal(picture, ws.heatmap(trainer.critic, 6))
    assert trainer.heatmap().shape == (ws.RESOLUTION, ws.RESOLUTION)


def test_gan_budget_counts_critic_steps():
    target, _ = ws.make_points(PointsConfig(points=16))
    trainer = ws.GanTrainer(target, CriticConfig(width=4), GanConfig(generator_width=4))
    assert trainer.report.step == 0 and trainer.train_critic(2).critic_steps == 2
    assert trainer.run(0).critic_steps == 2 and trainer.train_critic(0).critic_steps == 2
    trainer.critic_steps = ws.MAX_STEPS - 7  # room for one generator step of n_critic = 5
    report = trainer.run(10)
    assert (report.step, report.critic_steps) == (1, ws.MAX_STEPS - 2)
    assert trainer.train_critic(10).critic_steps == ws.MAX_STEPS and trainer.finished
    assert trainer.train_critic(10).critic_steps == ws.MAX_STEPS


def test_gan_report_and_exact_distance_use_the_fixed_fakes():
    target, _ = ws.make_points(PointsConfig(points=16))
    trainer = ws.GanTrainer(target, CriticConfig(width=8), GanConfig(generator_width=8))
    with torch.no_grad():
        fake = trainer.generator(trainer.evaluation_noise)
        value = (trainer.critic(target).mean() - trainer.critic(fake).mean()).item()
    assert len(fake) == 256 and trainer.report.critic_value == pytest.approx(value, rel=1e-5)
    assert trainer.exact_distance(32) == pytest.approx(
        ws.exact_distance(target, trainer.fake_points(32))[0])
    assert trainer.exact_distance() == pytest.approx(
        ws.exact_distance(target, trainer.fake_points(256))[0])


def test_arrows_are_the_generator_objectives_gradient():
    """∇f (WGAN), ∇ log D = (1 - D)∇logit ("gan"), ∇ -log(1 - D) = D·∇logit
    ("gan_minimax"), at the visitor's points when given."""
    target, _ = ws.make_points(PointsConfig(points=16))
    points = [(0.3, -0.2), (-1.0, 0.5)]
    for loss in ws.LOSSES:
        trainer = ws.GanTrainer(target, CriticConfig(width=8), GanConfig(loss=loss))
        at, directions = trainer.arrows(points)
        assert at.dtype == np.float32 and np.allclose(at, points)
        gradient = ws.critic_gradients(trainer.critic, points)
        with torch.no_grad():
            logit = trainer.critic(torch.tensor(points)).numpy()
        factor = {"wasserstein": np.ones_like(logit), "gan": 1 / (1 + np.exp(logit)),
                  "gan_minimax": 1 / (1 + np.exp(-logit))}[loss]
        assert np.allclose(directions, factor * gradient, atol=1e-6), loss
        if loss == "gan_minimax":  # E[log(1 - D)] < 0
            assert trainer.report.generator_loss < 0


def test_gan_heatmap_is_sigmoid_of_the_logit():
    target, _ = ws.make_points(PointsConfig(points=16))
    trainer = ws.GanTrainer(target, CriticConfig(width=8), GanConfig(loss="gan"))
    picture = trainer.heatmap(6)
    logits = ws.heatmap(trainer.critic, 6)
    assert picture.dtype == np.float32
    assert np.allclose(picture, 1 / (1 + np.exp(-logits)), atol=1e-6)
