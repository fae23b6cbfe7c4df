"""Unit tests of backend.playground: data, configs, training, gradients, surfaces, presets.

Small exact cases with fixed seeds; the whole file runs in a few seconds on the CPU.
"""
import copy
import dataclasses
import math

import numpy as np
import pytest
import torch
from torch.nn import functional as F

from backend import playground as pg
from backend.playground import DataConfig, NetworkConfig


def trained(preset: str, steps: int, **changes) -> pg.Trainer:
    """A Trainer for a preset (its network config changed by `changes`) after `steps`."""
    data_config, network_config = pg.PRESETS[preset]
    trainer = pg.Trainer(pg.make_data(data_config), dataclasses.replace(network_config, **changes))
    trainer.run(steps)
    return trainer


# --- data ------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", pg.KINDS)
def test_data_sets_are_seeded_balanced_and_on_the_plane(kind):
    config = DataConfig(kind=kind, noise=0.5, points=101, test_fraction=0.3, seed=4)
    data = pg.make_data(config)
    again = pg.make_data(config)
    assert data.train_x.shape == (71, 2) and data.test_x.shape == (30, 2)
    assert data.train_x.dtype == torch.float32 and data.train_y.dtype == torch.int64
    assert torch.equal(data.train_x, again.train_x) and torch.equal(data.test_y, again.test_y)
    labels = torch.cat([data.train_y, data.test_y])
    assert sorted(labels.unique().tolist()) == [0, 1] and labels.sum() == 50
    points = torch.cat([data.train_x, data.test_x])
    assert points.abs().max() <= pg.PLANE
    other = pg.make_data(dataclasses.replace(config, seed=5))
    assert not torch.equal(data.train_x, other.train_x)


def test_noise_free_data_sets_have_their_shapes():
    def points(kind):
        data = pg.make_data(DataConfig(kind=kind, noise=0.0, points=200))
        return torch.cat([data.train_x, data.test_x]), torch.cat([data.train_y, data.test_y])
    xy, y = points("circle")
    radius = xy.norm(dim=1)
    assert radius[y == 1].max() <= 0.5 and radius[y == 0].min() >= 0.7
    xy, y = points("xor")
    assert torch.equal((xy[:, 0] * xy[:, 1] > 0).long(), y)
    xy, y = points("blobs")
    assert (xy.sum(dim=1) > 0).long().eq(y).all()  # separable by the line x + y = 0
    xy, _ = points("spiral")
    assert xy.norm(dim=1).max() <= 1.0


def test_drawn_points_are_cleaned_and_split():
    drawn = [(0.5, 0.5, 1), (-0.5, -0.5, 0), (3.0, -9.0, True), ("nan", 0.0, 1), (0.1,),
             (0.2, "x", 0), (0.0, 0.0, 0)]
    data = pg.drawn_data(drawn, test_fraction=0.25, seed=1)
    points = torch.cat([data.train_x, data.test_x])
    assert len(points) == 4 and len(data.test_y) == 1
    assert points.abs().max() <= pg.PLANE
    assert np.allclose(sorted(map(tuple, points.tolist())), sorted(
        [(0.5, 0.5), (-0.5, -0.5), (pg.PLANE, -pg.PLANE), (0.0, 0.0)]))
    assert sorted(torch.cat([data.train_y, data.test_y]).tolist()) == [0, 0, 1, 1]
    assert pg.drawn_data([(0.1, 0.2, 1)]).test_x.shape == (0, 2)  # one point: all training
    with pytest.raises(ValueError):
        pg.drawn_data([("junk", 1, 1)])


# --- configs ---------------------------------------------------------------------------

def test_junk_query_values_fall_back_to_defaults_and_numbers_are_clamped():
    junk = {"layers": "4,x", "act": "softmax", "lr": "nan", "batch": "", "l2": "oops",
            "init": "inf"}
    assert NetworkConfig.from_query(junk) == NetworkConfig()
    assert NetworkConfig.from_query({}) == NetworkConfig()
    clamped = NetworkConfig.from_query({"layers": "9,0,3,3,3,3,3,3", "act": " ReLU ",
                                        "lr": "100", "batch": "1e6", "l2": "-1",
                                        "init": "1000", "unknown": "1"})
    assert clamped == NetworkConfig(hidden=(8, 1, 3, 3, 3, 3), activation="relu",
                                    learning_rate=10.0, batch_size=100, l2=0.0,
                                    init_scale=100.0)
    assert NetworkConfig.from_query({"layers": "0"}).hidden == ()
    assert NetworkConfig.from_query({"layers": ["2", "5,5"]}).hidden == (5, 5)  # last wins
    assert NetworkConfig.from_query({"layers": ["2", "3", "4,4"]}).hidden == (4, 4)
    assert DataConfig.from_query({"data": "moons", "noise": "x", "points": "1e9",
                                  "test": "nan", "seed": "-5"}) == DataConfig(points=1000)
    assert DataConfig.from_query({"data": "xor", "noise": "0.9", "points": "1",
                                  "test": "0.99"}) == DataConfig(
        kind="xor", noise=0.5, points=4, test_fraction=0.9)


def test_validated_accepts_python_values():
    assert NetworkConfig.validated(hidden=[3, 2.0], learning_rate=1) == NetworkConfig(
        hidden=(3, 2), learning_rate=1.0)
    assert NetworkConfig.validated(hidden=5) == NetworkConfig()  # not a list of sizes
    assert DataConfig.validated(points=10.4, kind="SPIRAL") == DataConfig(points=10,
                                                                          kind="spiral")


def test_configs_refuse_out_of_range_values_when_built_directly():
    with pytest.raises(ValueError):
        NetworkConfig(hidden=(4,) * 7)
    with pytest.raises(ValueError):
        NetworkConfig(activation="gelu")
    with pytest.raises(ValueError):
        DataConfig(noise=2.0)


@pytest.mark.parametrize("name", sorted(pg.PRESETS))
def test_presets_round_trip_through_the_url(name):
    data_config, network_config = pg.PRESETS[name]
    query = {**data_config.to_query(), **network_config.to_query()}
    assert all(isinstance(value, str) for value in query.values())
    assert DataConfig.from_query(query) == data_config
    assert NetworkConfig.from_query(query) == network_config


def test_the_lecture_presets_exist():
    assert set(pg.PRESETS) == {"linear_separable", "xor_needs_hidden",
                               "vanishing_gradients_sigmoid", "relu_deep", "careless_init",
                               "memorize", "small_generalizes"}


# --- network, optimizer, minibatches ---------------------------------------------------

def test_build_network_shape_and_seeded_init():
    config = NetworkConfig(hidden=(3, 2), activation="sigmoid", init_scale=2.0)
    net = pg.build_network(config, seed=7)
    assert [type(m).__name__ for m in net] == ["Linear", "Sigmoid", "Linear", "Sigmoid",
                                               "Linear"]
    assert [tuple(layer.weight.shape) for layer in pg.linear_layers(net)] == [(3, 2), (2, 3),
                                                                              (1, 2)]
    assert net(torch.zeros(5, 2)).shape == (5, 1)
    same = pg.build_network(config, seed=7)
    half = pg.build_network(dataclasses.replace(config, init_scale=1.0), seed=7)
    for a, b, c in zip(net.parameters(), same.parameters(), half.parameters()):
        assert torch.equal(a, b) and torch.allclose(a, 2 * c)
    assert pg.build_network(NetworkConfig(hidden=()), seed=0)[0].in_features == 2
    assert all(p.abs().max() == 0 for p in
               pg.build_network(dataclasses.replace(config, init_scale=0.0)).parameters())


def test_minibatches_tile_epochs_and_chunks_do_not_matter():
    whole = pg.minibatch_indices(10, 4, 0, 10, seed=3)  # 40 positions = 4 epochs of 10
    assert whole.shape == (10, 4)
    for epoch in whole.reshape(4, 10):
        assert sorted(epoch.tolist()) == list(range(10))
    chunks = torch.cat([pg.minibatch_indices(10, 4, first, steps, seed=3)
                        for first, steps in ((0, 3), (3, 0), (3, 5), (8, 2))])
    assert torch.equal(whole, chunks)


def test_training_in_chunks_equals_one_run_and_counts_epochs():
    data = pg.make_data(DataConfig(points=30, test_fraction=0.2))  # 24 training points
    config = NetworkConfig(hidden=(3,), batch_size=5)
    one = pg.Trainer(data, config, seed=1)
    report = one.run(12)
    chunked = pg.Trainer(data, config, seed=1)
    for steps in (5, 0, 4, 3):
        chunked.run(steps)
    for a, b in zip(one.net.parameters(), chunked.net.parameters()):
        assert torch.allclose(a, b, atol=1e-6)
    assert report.step == 12 and report.epoch == pytest.approx(12 * 5 / 24)
    assert chunked.report.step == 12
    assert chunked.report.train_loss == pytest.approx(report.train_loss, abs=1e-6)
    assert isinstance(report.train_loss, float)
    assert all(isinstance(g, float) for g in report.gradient_magnitudes)


def test_trainer_stops_at_its_budget():
    data = pg.make_data(DataConfig(points=20, test_fraction=0.5))  # 10 training points
    config = NetworkConfig(hidden=(), batch_size=100)  # one step = one epoch
    trainer = pg.Trainer(data, config)
    assert trainer.budget == pg.training_budget(data, config) == min(pg.MAX_EPOCHS,
                                                                      pg.MAX_STEPS)
    trainer.run(trainer.budget - 3)
    assert not trainer.finished
    assert trainer.run(10).step == trainer.budget and trainer.finished
    assert trainer.run(10).step == trainer.budget
    assert pg.training_budget(pg.make_data(DataConfig(points=1000)),
                              NetworkConfig(batch_size=1)) == pg.MAX_STEPS


def test_a_diverging_run_says_so():
    data = pg.make_data(DataConfig(kind="blobs", points=40))
    trainer = pg.Trainer(data, NetworkConfig(hidden=(8,) * 6, activation="relu",
                                             learning_rate=10.0, init_scale=100.0))
    report = trainer.run(20)
    assert report.diverged and trainer.finished, report


# --- gradients -------------------------------------------------------------------------

def test_gradient_magnitudes_and_the_update_match_autograd():
    data = pg.make_data(DataConfig(kind="xor", points=12, test_fraction=0.25, seed=2))
    config = NetworkConfig(hidden=(3, 2), activation="tanh", learning_rate=0.5,
                           batch_size=100, l2=0.1)  # full batch: the minibatch is all of it
    net = pg.build_network(config, seed=3)
    before = copy.deepcopy(net)
    report = pg.train_steps(net, pg.make_optimizer(net, config), data, config, steps=1)

    loss = F.binary_cross_entropy_with_logits(before(data.train_x).squeeze(1),
                                              data.train_y.float())
    params = list(before.parameters())  # W1, b1, W2, b2, W3, b3
    grads = torch.autograd.grad(loss, params)
    expected = [(g.pow(2).sum() / g.numel()).sqrt().item() for g in grads[::2]]
    assert report.gradient_magnitudes == pytest.approx(expected, rel=1e-5)
    for old, new, grad, index in zip(params, net.parameters(), grads, range(6)):
        decay = config.l2 * old if index % 2 == 0 else 0.0  # weight decay on weights only
        assert torch.allclose(new, old - config.learning_rate * (grad + decay), atol=1e-6)
    assert report.epoch == 1.0

    # steps = 0: the whole training set's gradient at the current θ, no update
    evaluated = pg.train_steps(before, pg.make_optimizer(before, config), data, config, 0)
    assert evaluated.step == 0
    assert evaluated.gradient_magnitudes == pytest.approx(expected, rel=1e-5)
    assert evaluated.train_loss == pytest.approx(loss.item(), rel=1e-6)


def test_sigmoid_gradients_vanish_where_relu_gradients_do_not():
    data = pg.make_data(pg.PRESETS["vanishing_gradients_sigmoid"][0])
    first, last = {}, {}
    for name in ("vanishing_gradients_sigmoid", "relu_deep"):
        config = pg.PRESETS[name][1]
        net = pg.build_network(config, seed=0)
        magnitudes = pg.train_steps(net, pg.make_optimizer(net, config), data, config,
                                    0).gradient_magnitudes
        assert len(magnitudes) == 7
        first[name], last[name] = magnitudes[0], magnitudes[-1]
    ratio = first["vanishing_gradients_sigmoid"] / first["relu_deep"]
    assert ratio < 0.01, f"first-layer gradient, sigmoid / relu = {ratio:.2g}"
    within = first["vanishing_gradients_sigmoid"] / last["vanishing_gradients_sigmoid"]
    assert within < 1e-3, f"sigmoid net, first / last layer gradient = {within:.2g}"


# --- surfaces --------------------------------------------------------------------------

def test_grid_is_in_image_order():
    points = pg.grid(3)
    assert torch.allclose(points[0], torch.tensor([-pg.PLANE, pg.PLANE]))  # top left
    assert torch.allclose(points[2], torch.tensor([pg.PLANE, pg.PLANE]))  # top right
    assert torch.allclose(points[8], torch.tensor([pg.PLANE, -pg.PLANE]))  # bottom right


def test_batched_surfaces_equal_a_per_point_loop():
    config = NetworkConfig(hidden=(3, 4, 2), activation="relu")
    net = pg.build_network(config, seed=5)
    resolution = 5
    output, neurons = pg.surfaces(net, resolution)
    assert output.shape == (5, 5) and output.dtype == np.float32
    assert [n.shape for n in neurons] == [(3, 5, 5), (4, 5, 5), (2, 5, 5)]
    assert all(n.dtype == np.float32 for n in neurons)
    axis = np.linspace(-pg.PLANE, pg.PLANE, resolution)
    with torch.no_grad():
        for row, y in enumerate(axis[::-1]):
            for column, x in enumerate(axis):
                h = torch.tensor([[x, y]], dtype=torch.float32)
                layer = 0
                for module in net:
                    h = module(h)
                    if not isinstance(module, torch.nn.Linear):
                        assert np.allclose(neurons[layer][:, row, column], h[0].numpy(),
                                           atol=1e-6)
                        layer += 1
                assert output[row, column] == pytest.approx(torch.sigmoid(h).item(),
                                                            abs=1e-6)


def test_surfaces_of_a_network_without_hidden_layers():
    output, neurons = pg.surfaces(pg.build_network(NetworkConfig(hidden=())), resolution=4)
    assert output.shape == (4, 4) and neurons == []
    assert ((output >= 0) & (output <= 1)).all()


# --- what the presets claim ------------------------------------------------------------

def test_no_hidden_layer_separates_the_blobs():
    report = trained("linear_separable", 10).report
    assert report.train_accuracy == 1.0 and report.test_accuracy == 1.0, report


def test_xor_needs_a_hidden_layer():
    without = trained("xor_needs_hidden", 500, hidden=()).report
    assert without.train_accuracy <= 0.75, without
    with_hidden = trained("xor_needs_hidden", 500).report
    assert with_hidden.train_accuracy >= 0.95, with_hidden


def test_deep_sigmoid_stalls_where_deep_relu_learns():
    sigmoid = trained("vanishing_gradients_sigmoid", 1000).report
    assert sigmoid.train_loss == pytest.approx(math.log(2), abs=0.005), sigmoid
    relu = trained("relu_deep", 1000).report
    assert relu.train_accuracy >= 0.99, relu


def test_careless_init_stalls_at_the_start():
    careless = trained("careless_init", 300).report
    assert careless.train_loss > 0.69, careless
    careful = trained("careless_init", 300, init_scale=1.0).report
    assert careful.train_loss < 0.35, careful


def test_a_big_network_memorizes_and_a_small_one_generalizes():
    memorize = trained("memorize", 100)
    lowest_test_loss = memorize.report.test_loss
    memorize.run(200)  # step 300
    assert memorize.report.train_loss < 0.01, memorize.report
    memorize.run(700)  # step 1000
    small = trained("small_generalizes", 1000).report
    assert small.train_loss > 0.2, small  # it cannot memorize
    assert memorize.report.test_loss > lowest_test_loss, memorize.report
    assert memorize.report.test_loss > 2 * small.test_loss, (memorize.report, small)


def test_load_shares_the_presets():
    assert pg.load()["presets"] is pg.PRESETS


# --- what visitors type, draw and see (tests added from mutation testing) --------------

def test_junk_points_and_seed_in_the_url_fall_back_to_the_defaults():
    assert DataConfig.from_query({"points": "many", "seed": "abc"}) == DataConfig()


@pytest.mark.parametrize("layers", ["", "none", " None ", "-"])
def test_the_url_can_ask_for_no_hidden_layer_in_every_documented_spelling(layers):
    assert NetworkConfig.from_query({"layers": layers}).hidden == ()


def test_layer_sizes_in_the_url_may_be_separated_by_semicolons():
    assert NetworkConfig.from_query({"layers": "3;5"}).hidden == (3, 5)


def test_noise_free_circle_xor_and_blobs_fill_the_regions_they_promise():
    def points(kind):
        data = pg.make_data(DataConfig(kind=kind, noise=0.0, points=200))
        return torch.cat([data.train_x, data.test_x]), torch.cat([data.train_y, data.test_y])
    xy, y = points("circle")
    assert xy.norm(dim=1).max() <= 1.0 + 1e-6  # the outer ring ends at radius 1
    for label in (0, 1):  # each class surrounds the centre: no empty wedge in the circle
        angles = np.sort(np.arctan2(xy[y == label, 1], xy[y == label, 0]).numpy())
        gaps = np.diff(np.concatenate([angles, [angles[0] + 2 * np.pi]]))
        assert gaps.max() < 0.5, f"label {label}: an empty wedge of {gaps.max():.2f} rad"
    xy, _ = points("xor")
    assert xy.abs().max() <= 1.0 + 1e-6
    xy, y = points("blobs")  # centred on ±(0.5, 0.5), not squashed against the border
    assert torch.allclose(xy[y == 1].mean(dim=0), torch.tensor([0.5, 0.5]), atol=0.05)
    assert torch.allclose(xy[y == 0].mean(dim=0), torch.tensor([-0.5, -0.5]), atol=0.05)


def test_the_spiral_arms_turn_one_and_three_quarter_times_and_interleave():
    data = pg.make_data(DataConfig(kind="spiral", noise=0.0, points=200))
    xy, y = torch.cat([data.train_x, data.test_x]), torch.cat([data.train_y, data.test_y])
    arm0, arm1 = xy[y == 0], xy[y == 1]
    # the two arms are each other's reflection through the centre, so they never overlap
    distance = (-arm0[:, None] - arm1[None]).norm(dim=2)  # [n0, n1]
    assert distance.min(dim=1).values.max() < 1e-5
    radius = arm1.norm(dim=1)
    keep = radius > 1e-6  # the centre point has no direction
    order = torch.argsort(radius[keep])
    arm, radius = arm1[keep][order].numpy(), radius[keep][order].numpy()
    swept = np.unwrap(np.arctan2(arm[:, 1], arm[:, 0]))
    turns = abs(swept[-1] - swept[0]) / (2 * np.pi) / (radius[-1] - radius[0])
    assert turns == pytest.approx(1.75, abs=0.02)  # turns per unit of radius, radius 0..1


def test_a_tiny_data_set_keeps_a_training_point_and_a_test_point():
    two = [(0.5, 0.5, 1), (-0.5, -0.5, 0)]  # the fewest points the page trains on
    for fraction in (0.1, 0.9):
        data = pg.drawn_data(two, test_fraction=fraction)
        assert (len(data.train_y), len(data.test_y)) == (1, 1), fraction
    data = pg.make_data(DataConfig(points=4, test_fraction=0.9))
    assert (len(data.train_y), len(data.test_y)) == (1, 3)
    assert pg.drawn_data(two[:1], test_fraction=0.9).train_x.shape == (1, 2)
    assert pg.Trainer(data, NetworkConfig()).run(1).step == 1


def test_the_seed_reshuffles_drawn_points_and_junk_settings_take_the_defaults():
    drawn = [(i / 10 - 1, (i % 7) / 7, i % 2) for i in range(20)]
    split = pg.drawn_data(drawn, 0.5, seed=3)
    again = pg.drawn_data(drawn, 0.5, seed=3)
    assert torch.equal(split.train_x, again.train_x)  # the same drawing and seed: same split
    other = pg.drawn_data(drawn, 0.5, seed=4)  # "new data" on a drawing: a new split
    assert not torch.equal(split.train_x, other.train_x)
    junk = pg.drawn_data(drawn, test_fraction="half", seed="x")
    default = pg.drawn_data(drawn, DataConfig.test_fraction, DataConfig.seed)
    assert torch.equal(junk.train_x, default.train_x) and torch.equal(junk.test_y,
                                                                      default.test_y)


def test_a_linear_activation_makes_the_whole_network_affine():
    net = pg.build_network(NetworkConfig(hidden=(3, 2), activation="linear"), seed=1)
    a, b = torch.tensor([[0.3, -0.9]]), torch.tensor([[-1.1, 0.4]])
    with torch.no_grad():  # an affine f keeps midpoints: f((a + b)/2) = (f(a) + f(b))/2
        assert torch.allclose(net((a + b) / 2), (net(a) + net(b)) / 2, atol=1e-6)


def test_gradient_magnitudes_are_zero_before_any_gradient():
    net = pg.build_network(NetworkConfig(hidden=(3,)))
    assert pg.gradient_magnitudes(net) == [0.0, 0.0]


def test_the_trainer_seed_picks_the_initial_weights_and_the_minibatch_order():
    data = pg.make_data(DataConfig(points=40))
    config = NetworkConfig(hidden=(3,))
    one, two = pg.Trainer(data, config, seed=1), pg.Trainer(data, config, seed=2)
    assert not torch.equal(one.net[0].weight, two.net[0].weight)
    # init_scale 0 starts every seed at θ = 0: what differs afterwards is the minibatch order
    zero = dataclasses.replace(config, hidden=(), init_scale=0.0, batch_size=5)
    one, two = pg.Trainer(data, zero, seed=1), pg.Trainer(data, zero, seed=2)
    assert torch.equal(one.net[0].weight, two.net[0].weight)
    one.run(3)
    two.run(3)
    assert not torch.equal(one.net[0].weight, two.net[0].weight)


def test_the_trainer_draws_its_own_network_at_the_asked_resolution():
    trainer = pg.Trainer(pg.make_data(DataConfig(points=20)), NetworkConfig(hidden=(3,)))
    trainer.run(2)
    output, neurons = trainer.surfaces(6)
    expected_output, expected_neurons = pg.surfaces(trainer.net, 6)
    assert output.shape == (6, 6) and np.array_equal(output, expected_output)
    assert len(neurons) == 1 and np.array_equal(neurons[0], expected_neurons[0])
    assert trainer.surfaces()[0].shape == (pg.RESOLUTION, pg.RESOLUTION)  # the page's call
