"""The photos of scikit-image's `skimage.data` module (CC0 / public domain), split for patches.

The adversarial patches train only on the TRAINING photos (and random crops, flips and colour
jitter of them); the HELD_OUT photos are never seen in training and measure whether a patch
works on new photos. The held-out photos are the ones with a clear ImageNet subject, so each
comes with the ImageNet classes that count as a correct answer (for the clean accuracy).
The right view of the stereo motorcycle is used by neither side: it is nearly the left view.
"""

from __future__ import annotations

import numpy as np
import skimage.data

# Mostly textures, microscopy and astronomy: no ImageNet object dominates them, which is fine
# for training a patch that has to win against whatever is behind it.
TRAINING = (
    "astronaut", "brick", "cell", "coins", "colorwheel", "grass", "gravel", "horse",
    "hubble_deep_field", "immunohistochemistry", "logo", "moon", "page", "retina", "text",
)

# photo name -> ImageNet classes that count as correct for it
HELD_OUT: dict[str, tuple[str, ...]] = {
    "chelsea": ("tabby", "tiger cat", "Egyptian cat"),
    "coffee": ("espresso", "cup", "coffee mug"),
    "rocket": ("missile", "projectile", "space shuttle"),
    "motorcycle": ("moped", "motor scooter"),
    "camera": ("tripod", "reflex camera"),
    "clock": ("wall clock", "analog clock"),
}


def load_photo(name: str) -> np.ndarray:
    """One skimage photo as uint8 RGB [H, W, 3] (grey and binary ones repeated to 3 channels,
    the alpha channel of the logo dropped)."""
    image = skimage.data.stereo_motorcycle()[0] if name == "motorcycle" else getattr(
        skimage.data, name)()
    image = np.asarray(image)
    if image.dtype == bool:
        image = image.astype(np.uint8) * 255
    if image.ndim == 2:
        image = np.repeat(image[..., None], 3, axis=2)
    return np.ascontiguousarray(image[..., :3])
