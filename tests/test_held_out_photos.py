"""The larger held-out set of the adversarial patches (backend.data.held_out_photos): the
photos are there, are the files the set was measured on, load as the backend expects, carry
valid ImageNet labels, are none of the training photos, and the classifier knows them."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from backend import adversarial_patch as ap
from backend.data import held_out_photos, skimage_photos

NAMES = list(held_out_photos.PHOTOS)


@pytest.fixture(scope="module")
def photos() -> dict[str, np.ndarray]:
    held_out_photos.ensure_downloaded()  # `make data` has fetched them: then a no-op
    return {name: held_out_photos.load_photo(name) for name in NAMES}


@pytest.fixture(scope="module")
def images(photos) -> torch.Tensor:
    return torch.stack([ap.to_tensor(photos[name]) for name in NAMES])


def test_the_set_has_at_least_30_photos_from_several_packages():
    assert len(held_out_photos.HELD_OUT) >= 30
    assert len({photo.package for photo in held_out_photos.PHOTOS.values()}) >= 5
    assert set(held_out_photos.PACKAGES) == {p.package for p in held_out_photos.PHOTOS.values()}


def test_the_files_are_the_ones_the_set_was_measured_on(photos):
    for name, photo in held_out_photos.PHOTOS.items():
        data = held_out_photos.photo_path(name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == photo.sha256, name
    assert held_out_photos.missing() == []


def test_each_photo_loads_as_rgb_at_least_as_large_as_the_classifier_sees(photos, images):
    for name, photo in photos.items():
        assert photo.dtype == np.uint8 and photo.ndim == 3 and photo.shape[2] == 3, name
        assert min(photo.shape[:2]) >= ap.IMAGE_SIZE, name  # the crop is never upscaled
        assert photo.std() > 20, name  # a real picture, not a blank decode
    assert images.shape == (len(NAMES), 3, ap.IMAGE_SIZE, ap.IMAGE_SIZE)
    assert images.min() >= 0 and images.max() <= 1


def test_jigzo_puzzles_yield_their_whole_photo_not_the_texture_atlas(photos):
    assert photos["jigzo/castle"].shape == (392, 782, 3)  # the map's `image 0 0 782 392`
    assert photos["jigzo/gorilla"].shape == (542, 542, 3)


def test_labels_are_a_few_valid_imagenet_class_names():
    for name, labels in held_out_photos.HELD_OUT.items():
        assert 1 <= len(labels) <= 6 and len(set(labels)) == len(labels), name
        assert set(labels) <= set(ap.CLASS_NAMES), name


def thumbnails(batch: torch.Tensor) -> torch.Tensor:
    return F.interpolate(batch, size=(32, 32), mode="area").flatten(1)


def test_no_held_out_photo_is_a_training_photo_or_any_skimage_photo(images):
    assert not set(held_out_photos.HELD_OUT) & set(skimage_photos.TRAINING)
    skimage_names = skimage_photos.TRAINING + tuple(skimage_photos.HELD_OUT)
    skimage_images = torch.stack([ap.to_tensor(skimage_photos.load_photo(name))
                                  for name in skimage_names])
    # mean absolute difference of 32 x 32 thumbnails (0..1): 0.002 for a photo and its JPEG
    # re-encoding at quality 60, 0.09 for the closest pair of different photos here
    distance = torch.cdist(thumbnails(images), thumbnails(skimage_images), p=1) / (3 * 32 * 32)
    assert distance.min() > 0.03
    # nor is any photo in the set twice
    within = torch.cdist(thumbnails(images), thumbnails(images), p=1) / (3 * 32 * 32)
    assert within[~torch.eye(len(NAMES), dtype=torch.bool)].min() > 0.03


def test_the_classifier_recognises_most_held_out_photos(images):
    model = ap.load_classifier(torch.device("cpu"))
    hits = [any(ap.CLASS_NAMES[index] in held_out_photos.HELD_OUT[name] for index, _ in top)
            for name, top in zip(NAMES, ap.classify(model, images, k=5))]
    # measured: 31 of 34 (91 %) in the top 5, and the same 31 at top-1 (bench/held_out_photos.py);
    # the bound leaves room for two more misses from numerical drift between torch versions
    assert sum(hits) / len(hits) >= 0.85
