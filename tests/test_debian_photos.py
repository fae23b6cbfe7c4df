"""The adversarial patches' photos from Debian packages (backend.data.debian_photos): they are
there, are the files the sets were measured on, load as the backend expects; the held-out ones
carry valid ImageNet labels and the classifier knows them; no photo is in two sets."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from backend import adversarial_patch as ap
from backend.data import debian_photos, skimage_photos

NAMES = [*debian_photos.HELD_OUT, *debian_photos.TRAINING]


@pytest.fixture(scope="module")
def photos() -> dict[str, np.ndarray]:
    debian_photos.ensure_downloaded()  # `make data` has fetched them: then a no-op
    return {name: debian_photos.load_photo(name) for name in NAMES}


@pytest.fixture(scope="module")
def images(photos) -> torch.Tensor:
    return torch.stack([ap.to_tensor(photos[name]) for name in NAMES])


def test_each_set_has_at_least_30_photos_from_several_packages():
    for photos in debian_photos.HELD_OUT_PHOTOS, debian_photos.TRAINING_PHOTOS:
        assert len(photos) >= 30
        assert len({photo.package for photo in photos.values()}) >= 5
    assert set(debian_photos.PACKAGES) == {p.package for p in debian_photos.PHOTOS.values()}
    assert all(photo.labels for photo in debian_photos.HELD_OUT_PHOTOS.values())
    assert not any(photo.labels for photo in debian_photos.TRAINING_PHOTOS.values())
    assert len(debian_photos.CUTOUTS) >= 100
    assert not any(photo.labels for photo in debian_photos.CUTOUTS.values())


def test_the_files_are_the_ones_the_set_was_measured_on(photos):
    for name, photo in debian_photos.PHOTOS.items():
        data = debian_photos.photo_path(name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == photo.sha256, name
    assert debian_photos.missing() == []


def test_each_photo_loads_as_rgb_at_least_as_large_as_the_classifier_sees(photos, images):
    for name, photo in photos.items():
        assert photo.dtype == np.uint8 and photo.ndim == 3 and photo.shape[2] == 3, name
        assert min(photo.shape[:2]) >= ap.IMAGE_SIZE, name  # the crop is never upscaled
        assert photo.std() > 15, name  # a real picture, not a blank decode (MATE's wood: 19)
    assert images.shape == (len(NAMES), 3, ap.IMAGE_SIZE, ap.IMAGE_SIZE)
    assert images.min() >= 0 and images.max() <= 1


def test_cutouts_are_an_opaque_animal_on_a_transparent_background():
    for name in debian_photos.CUTOUTS:
        cutout = debian_photos.load_photo(name, mode="RGBA")
        assert cutout.dtype == np.uint8 and cutout.shape[2] == 4, name
        alpha = cutout[..., 3]
        assert (alpha == 0).mean() > 0.05, name  # a background cut away
        assert 0.05 < (alpha == 255).mean() < 0.9, name  # an animal's shape, not a rectangle
        assert min(cutout.shape[:2]) >= 40, name
        assert cutout[alpha == 255][:, :3].std() > 15, name  # a photo, not one flat colour


def test_jigzo_puzzles_yield_their_whole_photo_not_the_texture_atlas(photos):
    assert photos["jigzo/castle"].shape == (392, 782, 3)  # the map's `image 0 0 782 392`
    assert photos["jigzo/gorilla"].shape == (542, 542, 3)


def test_labels_are_a_few_valid_imagenet_class_names():
    for name, labels in debian_photos.HELD_OUT.items():
        assert 1 <= len(labels) <= 6 and len(set(labels)) == len(labels), name
        assert set(labels) <= set(ap.CLASS_NAMES), name


def thumbnails(batch: torch.Tensor) -> torch.Tensor:
    return F.interpolate(batch, size=(32, 32), mode="area").flatten(1)


def test_no_photo_is_in_two_sets_nor_a_skimage_photo(images):
    assert not set(debian_photos.HELD_OUT) & set(debian_photos.TRAINING)
    skimage_names = skimage_photos.TRAINING + tuple(skimage_photos.HELD_OUT)
    skimage_images = torch.stack([ap.to_tensor(skimage_photos.load_photo(name))
                                  for name in skimage_names])
    # mean absolute difference of 32 x 32 thumbnails (0..1): 0.002 for a photo and its JPEG
    # re-encoding at quality 60, 0.09 for the closest pair of different held-out photos
    distance = torch.cdist(thumbnails(images), thumbnails(skimage_images), p=1) / (3 * 32 * 32)
    assert distance.min() > 0.03
    # nor is any photo here twice: in particular no held-out photo is a training photo
    within = torch.cdist(thumbnails(images), thumbnails(images), p=1) / (3 * 32 * 32)
    assert within[~torch.eye(len(NAMES), dtype=torch.bool)].min() > 0.03


def test_the_classifier_recognises_most_held_out_photos(images):
    model = ap.load_classifier(torch.device("cpu"))
    held_out = images[:len(debian_photos.HELD_OUT)]
    hits = [any(ap.CLASS_NAMES[index] in labels for index, _ in top)
            for labels, top in zip(debian_photos.HELD_OUT.values(),
                                   ap.classify(model, held_out, k=5))]
    # measured: 31 of 34 (91 %) in the top 5, and the same 31 at top-1 (bench/held_out_photos.py);
    # the bound leaves room for two more misses from numerical drift between torch versions
    assert sum(hits) / len(hits) >= 0.85
