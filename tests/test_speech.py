import logging

import numpy as np
import pytest
import soundfile
from conftest import espeak

from game.speech.audio import (
    MAX_SECONDS,
    SAMPLE_RATE,
    NothingHeard,
    prepare_audio,
    read_audio_file,
    to_mono_float,
    trim_silence,
    window_dbfs,
)
from game.speech.hearing import ModelUnavailable
from game.speech.listener import Listener
from game.speech.loading import BackgroundModel
from game.speech.model import Transcriber
from game.speech.source import ModelLoadError
from game.speech.window import STOCK_SECONDS, WindowError, chosen_seconds


def loudest_dbfs(samples: np.ndarray) -> float:
    return float(window_dbfs(samples).max())


def tone(rate: int, seconds: float, amplitude: float = 0.5, freq: float = 220.0) -> np.ndarray:
    t = np.arange(int(rate * seconds)) / rate
    return (amplitude * np.sin(2 * np.pi * freq * t)).astype(np.float32)


class TestToMonoFloat:
    def test_int16_full_scale(self):
        out = to_mono_float(np.array([-32768, 0, 32767], dtype=np.int16))
        assert out.dtype == np.float32
        np.testing.assert_allclose(out, [-1.0, 0.0, 32767 / 32768], rtol=1e-6)

    def test_int32(self):
        out = to_mono_float(np.array([-(2**31), 2**30], dtype=np.int32))
        np.testing.assert_allclose(out, [-1.0, 0.5], rtol=1e-6)

    def test_uint8_is_centred(self):
        out = to_mono_float(np.array([0, 128, 255], dtype=np.uint8))
        np.testing.assert_allclose(out, [-1.0, 0.0, 127 / 128], rtol=1e-6)

    def test_float64_is_clipped(self):
        out = to_mono_float(np.array([2.0, -3.0, 0.25]))
        np.testing.assert_allclose(out, [1.0, -1.0, 0.25])

    def test_stereo_samples_by_channels_is_averaged(self):
        stereo = np.stack([np.full(100, 0.5), np.full(100, -0.1)], axis=1).astype(np.float32)
        np.testing.assert_allclose(to_mono_float(stereo), np.full(100, 0.2), rtol=1e-6)

    def test_stereo_channels_first_is_turned_round(self):
        stereo = np.stack([np.full(100, 1000), np.full(100, 3000)]).astype(np.int16)
        assert to_mono_float(stereo).shape == (100,)

    def test_nan_and_inf_become_silence(self):
        out = to_mono_float(np.array([np.nan, np.inf, -np.inf, 0.5], dtype=np.float32))
        np.testing.assert_allclose(out, [0, 0, 0, 0.5])


class TestPrepareAudio:
    @pytest.mark.parametrize("rate", [8000, 16000, 22050, 44100, 48000])
    def test_any_rate_becomes_16k(self, rate):
        samples = (tone(rate, 1.0) * 32767).astype(np.int16)
        out = prepare_audio((rate, samples))
        assert out.dtype == np.float32
        assert abs(len(out) - SAMPLE_RATE) <= 2
        # The resampler keeps the tone's level (a hand-rolled decimator would alias or drop it).
        assert abs(loudest_dbfs(out) - loudest_dbfs(tone(SAMPLE_RATE, 1.0))) < 0.5

    def test_stereo_int16_44k(self):
        mono = (tone(44100, 0.8) * 20000).astype(np.int16)
        out = prepare_audio((44100, np.stack([mono, mono], axis=1)))
        assert out.ndim == 1 and abs(len(out) - int(0.8 * SAMPLE_RATE)) <= 2

    def test_long_recordings_are_cut(self):
        out = prepare_audio((SAMPLE_RATE, tone(SAMPLE_RATE, MAX_SECONDS + 5)))
        assert len(out) == int(MAX_SECONDS * SAMPLE_RATE)

    @pytest.mark.parametrize(
        "recording, detail",
        [
            (None, "no recording"),
            ((48000, np.zeros(0, dtype=np.int16)), "empty recording"),
            ((48000, None), "empty recording"),
            ((0, np.ones(100, dtype=np.int16)), "sample rate"),
            # What a broken or hostile caller can send: each is that caller's own message.
            ((10**9, np.ones(16000, dtype=np.int16)), "sample rate"),
            ((1, np.ones(16000, dtype=np.int16)), "sample rate"),
            ((float("nan"), np.ones(16000, dtype=np.int16)), "sample rate"),
            (("fast", np.ones(16000, dtype=np.int16)), "not a recording"),
            ((16000, np.ones(16000, dtype=np.int16), "extra"), "not a recording"),
            ((16000, np.array(["a"] * 16000)), "samples of type"),
            ((16000, np.ones((4, 4, 1000), dtype=np.int16)), "unexpected audio shape"),
            ((16000, np.ones((16000, 0), dtype=np.int16)), "empty recording"),
            ((48000, (tone(48000, 0.1) * 30000).astype(np.int16)), "shorter than"),
            ((48000, np.zeros(48000, dtype=np.int16)), "silence"),
            ((48000, (tone(48000, 1.0, amplitude=0.003) * 32767).astype(np.int16)), "silence"),
            ((16000, np.full(16000, np.nan, dtype=np.float32)), "silence"),
        ],
    )
    def test_nothing_to_hear(self, recording, detail):
        with pytest.raises(NothingHeard, match=detail) as err:
            prepare_audio(recording)
        assert str(err.value).startswith("Jag hörde inget — försök igen.")

    def test_quiet_but_real_speech_passes(self):
        prepare_audio((16000, tone(16000, 1.0, amplitude=0.05)))

    def test_espeak_word(self, tmp_path):
        rate, samples = read_audio_file(espeak("hund", tmp_path / "hund.wav"))
        out = prepare_audio((rate, samples))
        assert 0.2 < len(out) / SAMPLE_RATE < 2.0

    def test_the_silence_around_the_word_is_taken_off(self, tmp_path):
        # A learner who pressed Record, waited 8 s, then spoke: the word must reach a 6 s window.
        rate, word = read_audio_file(espeak("hund", tmp_path / "hund.wav"))
        noise = np.random.default_rng(0).normal(0, 0.001, int(rate * 8)).astype(np.float32)
        recording = np.concatenate([noise, word, noise[: rate // 2]])
        out = prepare_audio((rate, recording))
        assert len(out) / SAMPLE_RATE < len(word) / rate + 0.6
        # The word is all there: as loud as it was, with the margin on both sides.
        assert abs(loudest_dbfs(out) - loudest_dbfs(prepare_audio((rate, word)))) < 1.0
        assert len(out) >= len(prepare_audio((rate, word))) - 2

    def test_trimming_keeps_a_clip_without_silence_whole(self):
        clip = tone(SAMPLE_RATE, 1.0)
        assert len(trim_silence(clip)) == len(clip)
        assert len(trim_silence(np.zeros(100, dtype=np.float32))) == 100


class TestWindow:
    def test_the_game_runs_a_stock_checkpoint_on_the_short_window(self):
        assert chosen_seconds("auto", 30.0) == STOCK_SECONDS
        assert chosen_seconds("own", 30.0) == 30.0

    def test_a_trained_short_window_is_kept(self):
        assert chosen_seconds("auto", 5.0) == 5.0
        assert chosen_seconds("auto", 3.0) == 3.0

    def test_a_chosen_window_is_taken_when_it_fits(self):
        assert chosen_seconds(30, 30.0) == 30
        assert chosen_seconds(12, 30.0) == 12

    def test_a_window_longer_than_the_checkpoints_is_refused_in_words(self):
        with pytest.raises(WindowError, match="longer than this checkpoint's own 5 s"):
            chosen_seconds(10, 5.0)

    def test_the_model_hears_the_chosen_window(self, tiny_model_dir):
        for window, frames in (("auto", STOCK_SECONDS * 100), ("own", 3000), (30, 3000), (8, 800)):
            transcriber = Transcriber.load(str(tiny_model_dir), window=window)
            assert transcriber.window == frames / 100
            assert transcriber.model.model.encoder.embed_positions.weight.shape[0] == frames // 2
            features = transcriber.processor.feature_extractor(tone(SAMPLE_RATE, 1.0), sampling_rate=SAMPLE_RATE)
            assert np.asarray(features.input_features).shape[-1] == frames
            assert isinstance(transcriber.transcribe(tone(SAMPLE_RATE, 1.0), max_new_tokens=3), str)

    def test_a_window_the_checkpoint_cannot_run_fails_the_load_in_words(self, tiny_model_dir):
        with pytest.raises(ModelLoadError) as err:
            Transcriber.load(str(tiny_model_dir), window=45)
        assert err.value.reason == "bad_window" and "longer than this checkpoint's own 30 s" in err.value.detail

    def test_the_page_and_the_log_say_the_window(self, tiny_model_dir, caplog):
        with caplog.at_level(logging.INFO, logger="game.speech.loading"):
            model = BackgroundModel(str(tiny_model_dir), loader=lambda name: Transcriber.load(name, window=12))
            assert model.wait(120)
        assert model.status("sv").message.endswith("hör 12 s åt gången).")
        assert model.status("en").message.endswith("hears 12 s at a time).")
        assert "it hears 12 s of audio at a time" in caplog.text

    def test_a_refused_window_reaches_the_page(self, tiny_model_dir):
        model = BackgroundModel(str(tiny_model_dir), loader=lambda name: Transcriber.load(name, window=31))
        assert model.wait(120)
        status = model.status("en")
        assert status.state == "failed" and "SAGDET_WINDOW" in status.why and "31 s" in status.detail


class TestTranscriber:
    def test_loads_a_local_checkpoint_and_matches_the_pipeline(self, tiny_model_dir, tmp_path):
        """The game hears exactly what the plain transformers pipeline hears, Swedish forced, greedy."""
        from transformers import pipeline

        transcriber = Transcriber.load(str(tiny_model_dir))
        pipe = pipeline("automatic-speech-recognition", model=str(tiny_model_dir))
        rate, samples = read_audio_file(espeak("katt", tmp_path / "katt.wav"))
        clips = [prepare_audio((rate, samples)), tone(SAMPLE_RATE, 1.5, 0.3), tone(SAMPLE_RATE, 0.5, 0.8, 440)]
        for clip in clips:
            ours = transcriber.transcribe(clip, max_new_tokens=12)
            theirs = pipe(
                clip.copy(),
                generate_kwargs={"language": "sv", "task": "transcribe", "num_beams": 1, "max_new_tokens": 12},
            )["text"]
            assert ours == theirs.strip()

    def test_new_tokens_are_bounded(self, tiny_model_dir):
        transcriber = Transcriber.load(str(tiny_model_dir))
        calls = []
        original = transcriber.model.generate

        def spy(*args, **kwargs):
            out = original(*args, **kwargs)
            calls.append(out.shape[-1])
            return out

        transcriber.model.generate = spy
        transcriber.transcribe(tone(SAMPLE_RATE, 1.0), max_new_tokens=5)
        # 4 prompt tokens (<|startoftranscript|><|sv|><|transcribe|><|notimestamps|>) + at most 5 new.
        assert calls and calls[0] <= 4 + 5

    def test_token_budget_covers_the_longest_answer(self, tiny_model_dir):
        transcriber = Transcriber.load(str(tiny_model_dir))
        tokenizer = transcriber.processor.tokenizer
        longest = len(tokenizer(" en födelsedagstårta", add_special_tokens=False).input_ids)
        assert transcriber.token_budget(["hund", "en födelsedagstårta"]) == longest + 4

    def test_a_transcription_logs_no_warning(self, tiny_model_dir, tmp_path):
        """A spoken answer, alone or heard with others, leaves the log clean (it used to add two
        transformers warnings per answer: max_new_tokens vs max_length, and a deprecation notice)."""
        import logging
        import warnings

        from transformers.utils import logging as transformers_logging

        transcriber = Transcriber.load(str(tiny_model_dir))
        rate, samples = read_audio_file(espeak("katt", tmp_path / "katt.wav"))
        clip = prepare_audio((rate, samples))
        transformers_logging.warning_once.cache_clear()  # a warning an earlier test got once would hide here
        records: list[logging.LogRecord] = []
        catch = logging.Handler(logging.WARNING)
        catch.emit = records.append
        library = logging.getLogger("transformers")  # it does not pass records on to the root logger (caplog's)
        library.addHandler(catch)
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                for _ in range(2):
                    transcriber.transcribe(clip, max_new_tokens=6)
                transcriber.transcribe_batch([clip, tone(SAMPLE_RATE, 0.5, 0.3)], max_new_tokens=6)
        finally:
            library.removeHandler(catch)
        assert [r.getMessage() for r in records] == []
        assert [str(w.message) for w in caught] == []

    def test_only_whispers_own_deprecation_notice_is_dropped(self):
        from game.speech.model import _WhisperOwnNotice

        def record(message: str) -> logging.LogRecord:
            return logging.LogRecord("transformers.generation.utils", logging.WARNING, "", 0, message, (), None)

        notice = "Passing `generation_config` together with generation-related arguments=({names}) is deprecated"
        keep = _WhisperOwnNotice().filter
        assert not keep(record(notice.format(names="{'begin_suppress_tokens', 'suppress_tokens'}")))
        assert keep(record(notice.format(names="{'suppress_tokens', 'top_k'}")))
        assert keep(record("Both `max_new_tokens` (=8) and `max_length`(=20) seem to have been set."))

    def test_checkpoint_without_language_tables_still_speaks_swedish(self, tmp_path):
        from conftest import build_tiny_whisper, deck_corpus

        old = build_tiny_whisper(tmp_path / "old", deck_corpus()[:200], legacy_generation_config=True)
        transcriber = Transcriber.load(str(old))
        config = transcriber.model.generation_config
        tokenizer = transcriber.processor.tokenizer
        assert config.lang_to_id["<|sv|>"] == tokenizer.convert_tokens_to_ids("<|sv|>")
        assert config.task_to_id["transcribe"] == tokenizer.convert_tokens_to_ids("<|transcribe|>")
        assert isinstance(transcriber.transcribe(tone(SAMPLE_RATE, 1.0), max_new_tokens=3), str)


class TestBackgroundModel:
    def test_status_goes_from_loading_to_ready(self, tiny_model_dir):
        import threading

        gate = threading.Event()

        def slow_loader(name):
            gate.wait(10)
            return Transcriber.load(name)

        model = BackgroundModel(str(tiny_model_dir), loader=slow_loader)
        assert model.status().state == "loading"
        assert model.transcriber is None
        gate.set()
        assert model.wait(60)
        assert model.status().state == "ready"

    def test_a_model_that_cannot_load_is_reported(self, tmp_path):
        corrupt = tmp_path / "corrupt"
        corrupt.mkdir()
        (corrupt / "config.json").write_text("{ not json")
        model = BackgroundModel(str(corrupt))
        assert model.wait(60)
        status = model.status()
        assert status.state == "failed"
        assert "Skriv ditt svar" in status.message and str(corrupt) in status.why
        assert "JSON" in status.detail or "json" in status.detail, status.detail

    def test_listener_refuses_while_there_is_no_model(self, tmp_path):
        model = BackgroundModel(str(tmp_path / "missing"))
        model.wait(60)
        listener = Listener(model, ["hund"])
        with pytest.raises(ModelUnavailable, match="fungerar inte just nu"):
            listener.hear((16000, tone(16000, 1.0)))
        with pytest.raises(NothingHeard):  # silence is caught before the model is needed
            listener.hear((16000, np.zeros(16000, dtype=np.float32)))


class CountingTranscriber:
    """Stands in for Whisper: one token per character, and remembers the bound it was given."""

    def __init__(self):
        self.budgets = []

    def token_budget(self, answers, slack=4):
        return max((len(a) for a in answers), default=8) + slack

    def transcribe_batch(self, clips, max_new_tokens):
        self.budgets.append(max_new_tokens)
        return ["hund"] * len(clips)


class ReadyModel:
    def __init__(self, transcriber):
        self.transcriber = transcriber

    def wait(self, timeout=None):
        return True


def test_a_callers_long_word_does_not_lift_the_token_budget():
    transcriber = CountingTranscriber()
    listener = Listener(ReadyModel(transcriber), ["hund", "snögubbe"])
    speech = (16000, tone(16000, 1.0))
    listener.hear(speech)
    listener.hear(speech, ["en isbjörn"])  # a longer deck answer (an uploaded deck's) may lift it
    listener.hear(speech, ["hund " * 40, "x" * 10_000])  # no deck may hold these: they do not
    assert transcriber.budgets == [12, 14, 12]


def test_read_audio_file_roundtrip(tmp_path):
    path = tmp_path / "x.wav"
    soundfile.write(path, (tone(22050, 0.5) * 32767).astype(np.int16), 22050)
    rate, samples = read_audio_file(path)
    assert rate == 22050 and samples.dtype == np.float32 and len(samples) == 11025


@pytest.mark.parametrize("content", [b"", b"RIFF", bytes(range(256)) * 40, b"<html>not audio</html>"])
def test_a_file_that_is_not_sound_is_nothing_heard(tmp_path, content):
    path = tmp_path / "answer.wav"
    path.write_bytes(content)
    with pytest.raises(NothingHeard, match=r"not a sound file: answer\.wav"):
        read_audio_file(path)


def test_only_the_heard_start_of_a_long_file_is_read(tmp_path):
    path = tmp_path / "long.wav"
    soundfile.write(path, np.zeros(16000 * 60, dtype=np.int16), 16000)
    rate, samples = read_audio_file(path)
    assert rate == 16000 and len(samples) == 16000 * 10 + 1


class TestPrecision:
    def test_each_precision_loads(self, tiny_model_dir):
        import torch

        assert Transcriber.load(str(tiny_model_dir), "fp32").model.dtype == torch.float32
        assert Transcriber.load(str(tiny_model_dir), "bf16").model.dtype == torch.bfloat16
        int8 = Transcriber.load(str(tiny_model_dir), "int8").model
        assert any(type(m).__module__.startswith("torch.ao.nn.quantized.dynamic") for m in int8.modules())
        for precision in ("fp32", "bf16", "int8"):
            assert isinstance(Transcriber.load(str(tiny_model_dir), precision).transcribe(tone(16000, 1.0), 3), str)

    def test_auto_is_bf16_only_where_the_cpu_has_it(self):
        from game.speech.model import native_bf16, resolve_precision

        assert resolve_precision("auto") == ("bf16" if native_bf16() else "fp32")
        assert resolve_precision("int8") == "int8"
        with pytest.raises(ValueError, match="precision must be one of"):
            resolve_precision("fp8")
