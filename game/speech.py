"""From a browser recording to Swedish text.

`prepare_audio` turns whatever the microphone delivered into what Whisper
expects (mono float32 at 16 kHz) and refuses recordings with nothing in them:
Whisper invents words on silence, so silence must never reach it.
`Transcriber` wraps a Whisper checkpoint (hub id or local directory);
`BackgroundModel` loads one without holding up the page.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soxr

from game.batcher import DynamicBatcher
from game.config import PRECISIONS
from game.deck import MAX_ANSWER_CHARS
from game.texts import DEFAULT as DEFAULT_LANGUAGE
from game.texts import say

log = logging.getLogger(__name__)

SAMPLE_RATE = 16_000
MIN_SECONDS = 0.25  # shorter than any Swedish word, even "ko"
MAX_SECONDS = 10.0  # a one-word answer never needs more; the rest is cut
SILENCE_DBFS = -40.0  # loudest 50 ms window quieter than this counts as silence
MIN_RATE, MAX_RATE = 4_000, 384_000  # telephone to studio; anything else is not a recording
LANGUAGE = "sv"
NOTHING_HEARD = say(DEFAULT_LANGUAGE, "nothing_heard")


class NothingHeard(ValueError):
    """The recording is empty, too short or silent."""

    def __init__(self, detail: str):
        super().__init__(f"{NOTHING_HEARD} ({detail})")
        self.detail = detail


def to_mono_float(array: np.ndarray) -> np.ndarray:
    """Integer or float samples, mono or multi-channel -> mono float32 in [-1, 1]."""
    array = np.asarray(array)
    if array.ndim == 2:
        # Gradio gives (samples, channels); a (channels, samples) array is turned round.
        if array.shape[0] < array.shape[1] and array.shape[0] <= 8:
            array = array.T
        channels_last = array
    elif array.ndim == 1:
        channels_last = array[:, None]
    else:
        raise NothingHeard(f"unexpected audio shape {array.shape}")
    if np.issubdtype(channels_last.dtype, np.integer):
        info = np.iinfo(channels_last.dtype)
        scale = (int(info.max) - int(info.min) + 1) / 2
        offset = (int(info.max) + int(info.min) + 1) / 2  # non-zero only for unsigned formats
        samples = (channels_last.astype(np.float64) - offset) / scale
    else:
        samples = np.nan_to_num(channels_last.astype(np.float64), nan=0.0, posinf=0.0, neginf=0.0)
    return np.clip(samples.mean(axis=1), -1.0, 1.0).astype(np.float32)


def loudest_dbfs(samples: np.ndarray, rate: int = SAMPLE_RATE, window_s: float = 0.05) -> float:
    window = max(1, int(rate * window_s))
    usable = len(samples) // window * window
    if usable == 0:
        frames = samples[None, :]
    else:
        frames = samples[:usable].reshape(-1, window)
    rms = np.sqrt(np.mean(np.square(frames, dtype=np.float64), axis=1)).max(initial=0.0)
    return float(20 * np.log10(max(rms, 1e-10)))


def prepare_audio(recording: tuple[int, np.ndarray] | None) -> np.ndarray:
    """A browser recording `(sample_rate, samples)` -> mono float32 16 kHz, at most MAX_SECONDS.

    Raises NothingHeard for no, empty, too short or silent recordings.
    """
    if recording is None:
        raise NothingHeard("no recording")
    try:
        rate, array = recording
        rate = float(rate)
        array = np.asarray(array if array is not None else ())
    except (TypeError, ValueError) as exc:
        raise NothingHeard("not a recording") from exc
    if array.size == 0:
        raise NothingHeard("empty recording")
    if not MIN_RATE <= rate <= MAX_RATE:  # also NaN; a wild rate would make the resampler eat memory
        raise NothingHeard(f"sample rate {rate:g} Hz")
    if not (np.issubdtype(array.dtype, np.integer) or np.issubdtype(array.dtype, np.floating)):
        raise NothingHeard(f"samples of type {array.dtype}")
    samples = to_mono_float(array)
    if len(samples) / rate < MIN_SECONDS:
        raise NothingHeard(f"shorter than {MIN_SECONDS} s")
    samples = samples[: int(MAX_SECONDS * rate)]
    if rate != SAMPLE_RATE:
        samples = soxr.resample(samples, rate, SAMPLE_RATE).astype(np.float32)
    if loudest_dbfs(samples) < SILENCE_DBFS:
        raise NothingHeard("silence")
    return samples


def read_audio_file(path: str | Path) -> tuple[int, np.ndarray]:
    """A sound file's `(sample_rate, samples)`; raises NothingHeard for anything that is not one
    (empty, truncated, another kind of file), so the caller is told, not the whole server."""
    import soundfile

    try:
        with soundfile.SoundFile(str(path)) as sound:
            # Only the first MAX_SECONDS are heard: an hour-long file is not read whole.
            samples = sound.read(frames=int(MAX_SECONDS * sound.samplerate) + 1, dtype="float32", always_2d=False)
            return sound.samplerate, samples
    except (soundfile.LibsndfileError, RuntimeError, OSError, ValueError) as exc:
        raise NothingHeard(f"not a sound file: {Path(path).name}") from exc


def native_bf16() -> bool:
    """Whether this CPU multiplies bfloat16 natively (AVX512-BF16 or AMX): then bf16 halves the time."""
    import torch

    try:
        return bool(torch.cpu._is_avx512_bf16_supported() or torch.cpu._is_amx_tile_supported())
    except AttributeError:  # an older or newer torch without these probes: stay with float32
        return False


def resolve_precision(precision: str) -> str:
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}, not {precision!r}")
    if precision == "auto":
        return "bf16" if native_bf16() else "fp32"
    return precision


def set_precision(model, precision: str):
    """bf16: weights and activations in bfloat16 (about twice as fast on a CPU with native bf16; it
    changed 27 of 240 whisper-base transcripts, its right verdicts not fewer: benchmarks/README.md).
    int8: dynamic int8 linear layers (faster still, but it changed most transcripts)."""
    import warnings

    import torch

    precision = resolve_precision(precision)
    if precision == "bf16":
        return model.to(torch.bfloat16)
    if precision == "int8":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # torch announces a move of this API to torchao
            return torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
    return model


def use_threads(count: int) -> None:
    """CPU threads for the model's arithmetic; 0 leaves torch's choice (one per core)."""
    if count:
        import torch  # only then: importing torch would hold up serving the page

        torch.set_num_threads(count)


class _WhisperOwnNotice(logging.Filter):
    """Drops the one notice transformers logs about its own code, which no argument avoids.

    Whisper's `generate` hands the generic one its generation config together with
    `suppress_tokens` and `begin_suppress_tokens` (a workaround of theirs); the generic one then
    calls that deprecated. Any other "generation_config together with ..." notice still shows.
    """

    NOTICE = "Passing `generation_config` together with generation-related arguments=("
    WHISPERS_OWN = frozenset({"suppress_tokens", "begin_suppress_tokens"})

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.NOTICE not in message:
            return True
        named = set(re.findall(r"'(\w+)'", message.split(self.NOTICE, 1)[1].split(")", 1)[0]))
        return not (named and named <= self.WHISPERS_OWN)


_WHISPER_OWN_NOTICE = _WhisperOwnNotice()


class Transcriber:
    """A Whisper checkpoint that writes down Swedish speech: greedy, bounded length."""

    def __init__(self, model, processor, name: str = ""):
        self.model = model.eval()
        self.processor = processor
        self.name = name
        _complete_generation_config(model.generation_config, processor.tokenizer)
        logging.getLogger("transformers.generation.utils").addFilter(_WHISPER_OWN_NOTICE)  # added once

    @classmethod
    def load(cls, name_or_path: str, precision: str = "auto") -> Transcriber:
        """`precision`: auto (bf16 on a CPU that has it natively, else fp32), fp32, bf16 or int8.

        A hub id is first asked about once (see `model_source`): a model that cannot be had fails
        within seconds with a ModelLoadError, and one this machine already has loads offline."""
        local_only = model_source(name_or_path) != "hub"  # before importing transformers, which takes seconds
        from transformers import WhisperForConditionalGeneration, WhisperProcessor

        processor = WhisperProcessor.from_pretrained(name_or_path, local_files_only=local_only)
        model = WhisperForConditionalGeneration.from_pretrained(name_or_path, local_files_only=local_only)
        return cls(set_precision(model, precision), processor, name=name_or_path)

    def token_budget(self, answers: Iterable[str], slack: int = 4) -> int:
        """New tokens enough for the longest answer (said with its article), plus slack.

        An unsure model can otherwise loop for hundreds of tokens on a one-word answer.
        """
        tokenizer = self.processor.tokenizer
        longest = max(
            (len(tokenizer(" " + a, add_special_tokens=False).input_ids) for a in answers),
            default=8,
        )
        return longest + slack

    def transcribe(self, samples: np.ndarray, max_new_tokens: int) -> str:
        return self.transcribe_batch([samples], max_new_tokens)[0]

    def transcribe_batch(self, clips: list[np.ndarray], max_new_tokens: int) -> list[str]:
        import torch

        # The prompt (<|startoftranscript|><|sv|><|transcribe|><|notimestamps|>) takes 4 positions.
        max_new_tokens = max(1, min(max_new_tokens, self.model.config.max_target_positions - 4))
        inputs = self.processor.feature_extractor(
            clips, sampling_rate=SAMPLE_RATE, return_tensors="pt", return_attention_mask=True
        )
        with torch.inference_mode():
            ids = self.model.generate(
                inputs.input_features.to(self.model.dtype),
                # As the transformers pipeline passes it; without it a batch earns a warning.
                attention_mask=inputs.attention_mask,
                language=LANGUAGE,
                task="transcribe",
                num_beams=1,
                do_sample=False,
                # Whisper counts `max_length` from after the prompt, so this bounds the new tokens.
                # `max_new_tokens` would do the same, with a warning each call: Whisper's generate
                # fills in the default max_length (20) and hands both on to the generic one.
                max_length=max_new_tokens,
            )
        return [text.strip() for text in self.processor.batch_decode(ids, skip_special_tokens=True)]


def _complete_generation_config(config, tokenizer) -> None:
    """Fill in the language/task tables that checkpoints saved before 2023 lack.

    `generate(language=...)` needs them; the tokenizer knows every id.
    """
    from transformers.models.whisper.tokenization_whisper import LANGUAGES

    def token_id(token: str) -> int | None:
        tid = tokenizer.convert_tokens_to_ids(token)
        return None if tid is None or tid == tokenizer.unk_token_id else tid

    if not getattr(config, "lang_to_id", None):
        config.lang_to_id = {f"<|{code}|>": tid for code in LANGUAGES if (tid := token_id(f"<|{code}|>")) is not None}
    if not getattr(config, "task_to_id", None):
        config.task_to_id = {
            task: tid for task in ("transcribe", "translate") if (tid := token_id(f"<|{task}|>")) is not None
        }
    if getattr(config, "no_timestamps_token_id", None) is None:
        config.no_timestamps_token_id = token_id("<|notimestamps|>")
    if getattr(config, "is_multilingual", None) is None:
        config.is_multilingual = bool(config.lang_to_id)
    # The language is forced per call; a stored prompt would override it.
    config.forced_decoder_ids = None
    # Each call bounds its new tokens (`max_length`, see transcribe_batch); a stored
    # `max_new_tokens` would take precedence over that bound.
    config.max_new_tokens = None


class ModelLoadError(RuntimeError):
    """Why a speech model cannot be loaded. `reason` names the plain explanation (game.texts
    `why_<reason>`); `detail` is the technical one, for the log and the folded details."""

    REASONS = ("no_such_model", "no_access", "offline", "unreachable", "unreadable")

    def __init__(self, reason: str, name: str, detail: str):
        assert reason in self.REASONS, reason
        super().__init__(f"{name}: {detail}")
        self.reason, self.name, self.detail = reason, name, detail


def _one_line(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {' '.join(str(exc).split())}"


def model_source(name: str) -> str:
    """Where the speech model `name` loads from: "folder" (a local directory), "hub" (a hub id
    the hub answers for), or "cache" (a hub model this machine already has, while the hub cannot
    be asked: offline, unreachable, or it no longer knows the id).

    Raises ModelLoadError when there is nothing to load. One request to the hub decides, with
    the hub's own metadata timeout (`HF_HUB_ETAG_TIMEOUT`, 10 s) and no retries: otherwise
    `from_pretrained` would go on to retry listing the repository's files with backoff, about
    23 s a listing and minutes in all, before failing anyway.
    """
    from huggingface_hub import constants, model_info, try_to_load_from_cache
    from huggingface_hub.errors import GatedRepoError, HFValidationError, RepositoryNotFoundError
    from huggingface_hub.utils import validate_repo_id

    if Path(name).expanduser().is_dir():
        return "folder"
    try:
        validate_repo_id(name)
    except HFValidationError as exc:
        raise ModelLoadError("no_such_model", name, f"no such folder, and not a hub id: {_one_line(exc)}") from exc
    cached = isinstance(try_to_load_from_cache(name, "config.json"), str)
    if constants.is_offline_mode():
        if cached:
            return "cache"
        raise ModelLoadError(
            "offline", name, f"HF_HUB_OFFLINE is set and {name} is not in the local cache {constants.HF_HUB_CACHE}"
        )
    try:
        model_info(name, timeout=constants.HF_HUB_ETAG_TIMEOUT)
        return "hub"
    except RepositoryNotFoundError as exc:  # a wrong id, a private or gated model
        problem, reason = exc, "no_access" if isinstance(exc, GatedRepoError) else "no_such_model"
    except Exception as exc:  # no network, a timeout, the hub's own trouble: whatever it is, it is not asked again
        problem, reason = exc, "unreachable"
    if cached:
        log.warning("the hub did not give %s (%s); it loads from the local cache", name, _one_line(problem))
        return "cache"
    detail = f"asking {constants.ENDPOINT} about {name}: {_one_line(problem)}"
    if reason == "unreachable":
        detail += f"; not in the local cache {constants.HF_HUB_CACHE} either"
    raise ModelLoadError(reason, name, detail) from problem


@dataclass(frozen=True)
class ModelStatus:
    state: str  # "loading", "ready" or "failed"
    message: str  # for the learner, in plain words
    why: str = ""  # failed: the reason in plain words, for whoever runs the game
    detail: str = ""  # failed: the technical message, in full


class BackgroundModel:
    """Loads a Transcriber on a thread so the page is served at once."""

    def __init__(self, name: str, loader: Callable[[str], Transcriber] = Transcriber.load):
        self.name = name
        self._loader = loader
        self._transcriber: Transcriber | None = None
        self._error: ModelLoadError | None = None
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._load, name="model-loader", daemon=True)
        self._thread.start()

    def _load(self) -> None:
        try:
            self._transcriber = self._loader(self.name)
            log.info("speech model %s loaded", self.name)
        except ModelLoadError as exc:
            log.error("could not load speech model %s: %s", self.name, exc.detail)
            self._error = exc
        except Exception as exc:  # any failure must reach the page, not kill the app
            log.exception("could not load speech model %s", self.name)
            self._error = ModelLoadError("unreadable", self.name, _one_line(exc))
        finally:
            self._done.set()

    def wait(self, timeout: float | None = None) -> bool:
        return self._done.wait(timeout)

    @property
    def transcriber(self) -> Transcriber | None:
        return self._transcriber

    def status(self, lang: str = DEFAULT_LANGUAGE) -> ModelStatus:
        if not self._done.is_set():
            return ModelStatus("loading", say(lang, "model_loading", name=self.name))
        if self._transcriber is None:
            why = say(lang, f"why_{self._error.reason}", name=self.name)
            return ModelStatus("failed", say(lang, "model_failed"), why, self._error.detail)
        # A learner needs the model's name, not the folder it sits in.
        return ModelStatus("ready", say(lang, "model_ready", name=Path(self.name).name))


class ModelUnavailable(RuntimeError):
    """The speech model is still loading or could not be loaded."""


class Listener:
    """Recording in, transcript out, within the token budget of the answers the game can expect.

    Each caller's recording is read and checked in the caller's own thread, so a bad one fails
    only its sender; the clips of learners who answer at the same moment are then heard in one
    model call (see game.batcher), and each caller gets its own transcript back.
    """

    def __init__(
        self,
        model: BackgroundModel,
        answers: Iterable[str],
        max_batch: int = 8,
        max_wait_s: float = 0.01,
        nice: int = 0,
    ):
        self.model = model
        self._answers = tuple(answers)
        self._deck_budget: int | None = None
        self.batcher = DynamicBatcher(self._transcribe, max_batch, max_wait_s, name="speech", nice=nice)

    def hear(
        self, recording: tuple[int, np.ndarray] | None, extra_answers: Iterable[str] = (), wait: float = 0.0
    ) -> str:
        """Transcribe one recording; raises NothingHeard or ModelUnavailable. Waits up to `wait` s
        for a model that is still loading."""
        samples = prepare_audio(recording)
        self.model.wait(wait)
        if self.model.transcriber is None:
            raise ModelUnavailable(self.model.status().message)
        # An answer longer than a deck may hold does not lift the bound: a caller's 10,000-character
        # "word" must not buy minutes of decoding while the class waits.
        extra = tuple(a for a in extra_answers if len(a) <= MAX_ANSWER_CHARS)
        return self.batcher.submit((samples, extra))

    def _budget(self, transcriber: Transcriber, extra: tuple[str, ...]) -> int:
        # Only the batcher's thread tokenizes: a fast tokenizer is not safe to call from many threads.
        # The decks' budget is kept; a caller's few words are cheap to count, and keeping them would
        # let API callers grow the server's memory word by word.
        if self._deck_budget is None:
            self._deck_budget = transcriber.token_budget(self._answers)
        return max(self._deck_budget, transcriber.token_budget(extra)) if extra else self._deck_budget

    def _transcribe(self, items: list[tuple[np.ndarray, tuple[str, ...]]]) -> list[str]:
        transcriber = self.model.transcriber
        budget = max(self._budget(transcriber, extra) for _, extra in items)
        return transcriber.transcribe_batch([samples for samples, _ in items], max_new_tokens=budget)
