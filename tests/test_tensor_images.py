"""backend.tensor_images: one to_uint8 for every value range and layout, its inverse, and the
centre crop, checked by hand."""

import warnings

import numpy as np
import pytest
import torch
from PIL import Image

from backend.tensor_images import centre_square, from_uint8, to_uint8


@pytest.mark.parametrize("value_range, values", [
    ((0.0, 1.0), [-0.5, 0.0, 0.5, 1.0, 1.5]),
    ((-1.0, 1.0), [-2.0, -1.0, 0.0, 1.0, 2.0]),
], ids=["unit", "symmetric"])
def test_to_uint8_maps_the_range_onto_0_255_and_clips_outside(value_range, values):
    pixels = to_uint8(torch.tensor(values), value_range)
    assert pixels.dtype == np.uint8 and pixels.tolist() == [0, 0, 128, 255, 255]


def test_to_uint8_rounds_to_the_nearest_level():
    assert to_uint8(torch.tensor([0.3 / 255, 0.7 / 255, 254.6 / 255])).tolist() == [0, 1, 255]


def test_channels_first_colour_and_grayscale_come_back_channels_last():
    colour = torch.zeros(2, 3, 4, 5)
    colour[:, 0] = 1.0  # red
    pixels = to_uint8(colour, channels_first=True)
    assert pixels.shape == (2, 4, 5, 3) and pixels.flags.c_contiguous
    assert pixels[1, 3, 4].tolist() == [255, 0, 0]
    assert to_uint8(torch.zeros(2, 1, 4, 5), channels_first=True).shape == (2, 4, 5)
    assert to_uint8(torch.zeros(4, 5)).shape == (4, 5)


def test_to_uint8_takes_tensors_that_need_gradients():
    assert to_uint8(torch.ones(2, 2, requires_grad=True)).tolist() == [[255, 255]] * 2


@pytest.mark.parametrize("value_range", [(0.0, 1.0), (-1.0, 1.0)])
def test_from_uint8_inverts_to_uint8(value_range):
    pixels = np.arange(256, dtype=np.uint8).reshape(4, 8, 8).transpose(1, 2, 0)  # [8, 8, 4]
    images = from_uint8(pixels, value_range, channels_first=True)
    assert images.shape == (4, 8, 8) and images.dtype == torch.float32
    assert images.min() == value_range[0] and images.max() == value_range[1]
    assert np.array_equal(to_uint8(images, value_range, channels_first=True), pixels)


def test_from_uint8_takes_a_read_only_array_of_a_picture():
    pixels = np.asarray(Image.new("RGB", (3, 2), (255, 0, 51)))
    images = from_uint8(pixels, channels_first=True)
    assert images.shape == (3, 2, 3)
    assert images[:, 1, 2].tolist() == pytest.approx([1.0, 0.0, 0.2])


def test_from_uint8_takes_flipped_and_read_only_arrays_without_a_warning():
    pixels = np.arange(24, dtype=np.uint8).reshape(2, 4, 3)
    read_only = pixels.copy()
    read_only.flags.writeable = False
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # torch warns when it shares a read-only array
        flipped = from_uint8(pixels[:, ::-1])  # negative strides: torch cannot share those
        assert from_uint8(read_only).tolist() == from_uint8(pixels).tolist()
    assert flipped.tolist() == from_uint8(np.ascontiguousarray(pixels[:, ::-1])).tolist()


@pytest.mark.parametrize("width, height, box", [
    (10, 6, (2, 0, 8, 6)), (6, 10, (0, 2, 6, 8)), (7, 4, (1, 0, 5, 4)), (5, 5, (0, 0, 5, 5)),
])
def test_centre_square_of_a_picture_and_of_an_array_agree(width, height, box):
    pixels = np.arange(width * height * 3, dtype=np.uint8).reshape(height, width, 3)
    picture = Image.fromarray(pixels)
    left, top, right, bottom = box
    assert np.array_equal(np.asarray(centre_square(picture)), pixels[top:bottom, left:right])
    assert np.array_equal(centre_square(pixels), pixels[top:bottom, left:right])


def test_centre_square_resizes_a_picture_only():
    picture = Image.new("RGB", (40, 30))
    assert centre_square(picture, 8).size == (8, 8)
    with pytest.raises(ValueError):
        centre_square(np.zeros((30, 40, 3), np.uint8), 8)
