"""The shipped models themselves, measured again: not their training records.

Every figure the pages show about a model's quality (the GAN's Fréchet distance, the patches'
success rates, the word map's trustworthiness, the VAE's reconstruction loss) is read from the
JSON record written when the model was trained; nothing in the app recomputes it. So a record
can drift from the weights beside it (retrained weights with an old record, a wrong file
copied, a loader that changed how it reads them) and every other test still passes. These
tests load each committed asset the way the app does (each backend module's `load()` or the
functions it calls), recompute the figure on a small, seeded, held-out sample, and check it
two ways: against its record (with a margin sized for the sample), and against the same
architecture with random weights (or a random layout), which must clearly fail the same bound.

All on the CPU, seeded, and small enough to run in seconds.
"""
from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass

import numpy as np
import pytest
from PIL import Image
import torch
from safetensors.torch import load_file
from sklearn.decomposition import PCA
from sklearn.manifold import trustworthiness

from backend import adversarial_patch as ap
from backend import autoencoder as ae
from backend import gan, paths
from backend import thumbnails
from backend import word_vectors as wv
from backend.data import debian_photos, mnist
from backend.data.splits import load_split, to_model_range
from backend.frechet import FeatureClassifier, extract_features, frechet_distance
from backend.train import adversarial_patch as train_patch_cli
from backend.train.autoencoder import evaluate as evaluate_vae


# --- GAN: Fréchet distance in the classifier's features, and the critic ---------------------

# Images per set. Fréchet distances of small samples are biased upwards (the covariances are
# estimated from few images), so each test also measures two real samples of this size against
# each other: that floor is added to the bound.
GAN_SAMPLES = 500


@dataclass(frozen=True)
class GanSamples:
    generator: gan.Generator
    critic: gan.Critic
    record: dict
    classifier: FeatureClassifier
    real: torch.Tensor        # [GAN_SAMPLES, 1, 28, 28] held-out images in [-1, 1]
    other_real: torch.Tensor  # as many other held-out images, disjoint from `real`
    generated: torch.Tensor   # the shipped generator's images of seeded latents
    untrained: torch.Tensor   # the same latents through the same architecture, random weights


shipped_gans = functools.cache(gan.load)  # both data sets' models, loaded once as the page does


@functools.cache
def gan_samples(name: str) -> GanSamples:
    generator, critic, record = shipped_gans()[name]
    # The classifier the record's figure was measured with (backend.train.gan loads it so).
    classifier = FeatureClassifier()
    classifier.load_state_dict(load_file(paths.REPO_ROOT / record["frechet"]["classifier"]))
    classifier.eval()
    # The test split: Fashion-MNIST's t10k, or the gallery's 1,000 held-out digits (enough for
    # two disjoint samples of 500). The GAN never trained on either.
    images, _ = load_split(name, "test")
    order = np.random.default_rng(0).permutation(len(images))
    real = to_model_range(images[order[:GAN_SAMPLES]])
    other_real = to_model_range(images[order[GAN_SAMPLES:2 * GAN_SAMPLES]])
    latents = torch.randn(GAN_SAMPLES, generator.latent_dim,
                          generator=torch.Generator().manual_seed(1))
    with torch.random.fork_rng():  # seeded like the record's untrained ceiling, hermetically
        torch.manual_seed(record["seed"])
        untrained = gan.Generator(generator.latent_dim, generator.width).eval()
    return GanSamples(generator, critic, record, classifier, real, other_real,
                      gan.generate(generator, latents), gan.generate(untrained, latents))


@pytest.mark.parametrize("name", gan.MODELS)
def test_shipped_generator_reaches_its_recorded_frechet_distance(name):
    s = gan_samples(name)
    real_features = extract_features(s.classifier, s.real)

    def distance(images: torch.Tensor) -> float:
        return frechet_distance(extract_features(s.classifier, images), real_features)

    floor = distance(s.other_real)
    shipped = distance(s.generated)
    untrained = distance(s.untrained)
    # The record's figure (10,000 vs the whole test split) is 2-3 % of what random weights
    # give (fashion 20 vs 728, digits 4.8 vs 1005). Allow 1.5x the record on top of this
    # sample size's real-vs-real floor: a generator that lost half its quality fails, while
    # random weights land about 20x (fashion) to 100x (digits) above the bound.
    bound = floor + 1.5 * s.record["frechet"]["generated_vs_test"]
    assert shipped < bound, (shipped, bound, floor)
    assert untrained > 10 * bound, (untrained, bound)


def pairs_ranked_right(higher: torch.Tensor, lower: torch.Tensor) -> float:
    """Fraction of all (a, b) pairs with score a > score b (the area under the ROC curve)."""
    return (higher[:, None] > lower[None, :]).double().mean().item()


@pytest.mark.parametrize("name", gan.MODELS)
def test_shipped_critic_scores_real_images_above_the_generators(name):
    """The page plots the critic's score along latent paths of the shipped generator as "higher
    looks more real", so the critic must rank held-out real images above that generator's
    images. A critic with random weights ranks them by chance (about half the pairs; 0.46 to
    0.56 over seeds 0-5), the trained ones 0.63 (digits) to 0.75 (fashion). The digits one
    ranked above 0.65 before its generator's last averaging run: a better generator is harder to
    tell from real digits."""
    s = gan_samples(name)
    trained = pairs_ranked_right(gan.critic_scores(s.critic, s.real),
                                 gan.critic_scores(s.critic, s.generated))
    with torch.random.fork_rng():
        torch.manual_seed(0)
        random_critic = gan.Critic(s.critic.width).eval()
    by_chance = pairs_ranked_right(gan.critic_scores(random_critic, s.real),
                                   gan.critic_scores(random_critic, s.generated))
    assert by_chance < 0.6 < trained, (by_chance, trained)


# --- Adversarial patches: success on the held-out photos ----------------------------------

SHIPPED_PATCHES = {record["target"]: (patch, record) for patch, record in ap.load_shipped_patches()}
# 34 held-out photos x 4 placements = 136 trials per patch; the record used 20 placements each
# (680 trials). The photos are the record's and only the placements are drawn, so the rate's
# standard deviation is at most sqrt(0.25 / 136) = 0.043: allow about two below the record.
PLACEMENTS_PER_PHOTO = 4
MARGIN_BELOW_RECORD = 0.10


@pytest.fixture(scope="module")
def patch_classifier():
    return ap.load()


@pytest.fixture(scope="module")
def held_out_photos():
    return train_patch_cli.debian_held_out_images()


@pytest.mark.parametrize("target", sorted(SHIPPED_PATCHES))
def test_shipped_patch_turns_held_out_photos_into_its_target(patch_classifier, held_out_photos,
                                                              target):
    patch, record = SHIPPED_PATCHES[target]
    assert list(record["data"]["held_out_photos"]) == list(debian_photos.HELD_OUT)

    def success(candidate: torch.Tensor) -> float:
        # 10 % coverage and the record's rotations; the same seed gives the shipped patch and
        # the noise patch the same placements.
        return ap.patch_success_rate(patch_classifier, held_out_photos, candidate,
                                     record["target_index"],
                                     torch.Generator().manual_seed(1234), scale=0.1,
                                     placements_per_image=PLACEMENTS_PER_PHOTO,
                                     max_angle=math.radians(record["max_angle_degrees"]))

    rate = success(patch)
    noise_rate = success(torch.rand(patch.shape, generator=torch.Generator().manual_seed(0)))
    recorded = record["metrics"]["held_out_success_rate_at_10_percent"]
    assert rate >= recorded - MARGIN_BELOW_RECORD, (rate, recorded)
    # A noise disc of the same size is just an occluder: it should (almost) never make the
    # classifier say the target, so the patch's success is its pattern's, not the disc's.
    assert noise_rate <= 0.05, noise_rate
    assert rate >= noise_rate + MARGIN_BELOW_RECORD, (rate, noise_rate)


# --- Word map: trustworthiness of the shipped 2-D layout ---------------------------------

def test_word_map_keeps_the_neighbourhoods_of_the_glove_vectors():
    glove, coords = wv.load()
    record = json.loads(wv.MAP_PATH.with_suffix(".json").read_text())
    # The record's own sample (backend.train.word_map: seeded choice among the mapped words),
    # so the figure must come out as recorded, not just close.
    sample = np.random.default_rng(record["seed"]).choice(
        len(coords), record["metrics"]["sample"], replace=False)
    vectors = glove.vectors[sample]

    def trust(layout: np.ndarray) -> float:
        return trustworthiness(vectors, layout, n_neighbors=10, metric="cosine")

    shipped = trust(coords[sample])
    # Baselines: the same points dealt to the words at random (about 0.5: no neighbourhood
    # kept), and the best linear 2-D view, PCA (about 0.71), which the nonlinear map must beat.
    shuffled = trust(coords[sample][np.random.default_rng(1).permutation(len(sample))])
    linear = trust(PCA(n_components=2, random_state=0).fit_transform(vectors))
    assert shipped == pytest.approx(record["metrics"]["trustworthiness_at_10"], abs=0.005)
    assert shuffled < 0.6, shuffled
    assert shipped > linear + 0.1, (shipped, linear)


# --- Autoencoder: held-out reconstruction ------------------------------------------------

def test_shipped_vae_reconstructs_the_held_out_digits_as_recorded():
    model, latent_map = ae.load()
    images, labels = mnist.load_digits()
    train_idx, held_idx = mnist.split_held_out(labels)
    # The shipped held-out digits are the split the model never trained on.
    assert np.array_equal(latent_map.images, images[held_idx])
    assert np.array_equal(latent_map.labels, labels[held_idx])
    held = torch.from_numpy(latent_map.images).float() / 255
    train = torch.from_numpy(images[train_idx]).float() / 255

    # backend.train.autoencoder's own evaluation: decode the latent mean, per-image BCE
    # against the image, beside the mean training digit as a trivial reconstruction.
    shipped = evaluate_vae(model, held, train)
    recorded = ae.read_training_record()["metrics"]
    for key in ("held_out_bce_per_image", "baseline_mean_digit_bce_per_image"):
        assert shipped[key] == pytest.approx(recorded[key], rel=0.005), key
    for key in ("held_out_mse_per_pixel", "baseline_mean_digit_mse_per_pixel"):
        assert shipped[key] == pytest.approx(recorded[key], abs=0.0005), key

    with torch.random.fork_rng():
        torch.manual_seed(0)
        untrained = ae.VAE().eval()
    random_weights = evaluate_vae(untrained, held, train)
    # Random weights decode about 0.5 everywhere: about 784 ln 2 = 543 nats per image, worse
    # than even the mean digit (204), which the shipped model beats (137).
    assert (shipped["held_out_bce_per_image"] < shipped["baseline_mean_digit_bce_per_image"]
            < random_weights["held_out_bce_per_image"]), (shipped, random_weights)
    assert random_weights["held_out_bce_per_image"] > 2 * shipped["held_out_bce_per_image"]


# --- Home page cards: drawn by the shipped models --------------------------------------------

@pytest.mark.parametrize("card", sorted(thumbnails.CARDS))
def test_the_home_card_shows_the_shipped_model(card, tmp_path):
    """A retrained model with an old card would show visitors a model the page does not run."""
    thumbnails.main([card, "--out", str(tmp_path)])
    drawn = np.asarray(Image.open(tmp_path / f"{card}.png"), dtype=np.int16)
    shipped = np.asarray(Image.open(paths.asset("thumbnails") / f"{card}.png"), dtype=np.int16)
    assert drawn.shape == shipped.shape
    assert np.abs(drawn - shipped).max() <= 2  # float rounding between machines
