"""The class's speech heard by a transcription engine: OpenAI's audio API, as vLLM serves it.

`SAGDET_SPEECH_URL` points the game at an engine (`http://HOST:PORT/v1`); each prepared clip goes
to `POST /audio/transcriptions` as a 16 kHz WAV with Swedish and greedy decoding asked for. The
engine batches the clips of every replica by itself, so there is no batcher here, only a bound
on the requests in flight (a learner beyond it waits in Gradio's queue and sees their place).

What the in-process model promises, this keeps: the page says whether speech is ready; an engine
that is unreachable, slow, answers with an error, does not serve the model or answers with
something that is not a transcript fails only its sender's answer ("type your answer instead"),
and the next answer tries again, so speech comes back by itself when the engine does. A
transcript is cut to the decks' bound before it reaches the verdict.
"""

from __future__ import annotations

import io
import logging
import threading
import time
from collections.abc import Iterable
from urllib.parse import urlsplit, urlunsplit

import numpy as np

from game.speech.audio import SAMPLE_RATE, prepare_audio
from game.speech.hearing import ModelUnavailable, bounded_answers
from game.speech.loading import ModelStatus
from game.speech.source import one_line
from game.texts import DEFAULT, say

log = logging.getLogger(__name__)

LANGUAGE = "sv"
TIMEOUT_S = 30.0  # one clip, queue at the engine included; a learner gives up long before
CONNECT_TIMEOUT_S = 3.0  # an engine that is not there is known at once, not after the whole timeout
RECHECK_S = 5.0  # while speech is not ready, the engine is asked again at most this often
# While it is ready, still this often when the page or a health check (game/health.py) asks: an engine
# that went away while nobody answered is said before a learner finds out.
READY_RECHECK_S = 30.0
SLACK_CHARS = 12  # a transcript may run this far past the longest answer before it is cut
LEVEL_DBFS = -1.0  # a clip's loudest sample, as sent
MAX_GAIN_DB = 30.0  # a quiet clip is raised at most this much: the room's hum must not become a voice
# vLLM's bound on a transcript's new tokens. Not in OpenAI's audio API: OpenAI's own endpoint (and other
# servers) may answer 400 for it, naming it; then clips go without it (`_without_the_bound`).
BOUND_FIELD = "max_completion_tokens"


class EngineListener:
    """Recording in, transcript out, through a transcription engine (game.speech.hearing.Hearing)."""

    def __init__(
        self,
        url: str,
        model: str,
        answers: Iterable[str],
        api_key: str = "",
        in_flight: int = 16,
        timeout: float = TIMEOUT_S,
    ):
        from openai import OpenAI

        self.url, self.model = url.rstrip("/"), model
        self.shown = shown_url(self.url)  # for the log and the page: a password in the URL is not shown
        # No retries by the client: a timed-out clip asked again doubles a learner's wait. A refused
        # connection is asked once more (below): nothing was heard, so asking again is safe.
        self._client = OpenAI(base_url=self.url, api_key=api_key or "none", timeout=_timeout(timeout), max_retries=0)
        self._slots = threading.BoundedSemaphore(in_flight)
        self._longest = max((len(a) for a in answers), default=0)
        self._lock = threading.Lock()
        self._state = "loading"  # the last word about the engine: loading, ready or failed
        self._reason, self._detail = "", ""
        self._checked = 0.0
        self._checking = False
        self._known = threading.Event()  # the engine has been asked once
        self._bounded = True  # the engine takes BOUND_FIELD; False once it refused it, for good
        self._recheck()

    # -- hearing ------------------------------------------------------------------------------------

    def hear(self, recording, extra_answers: Iterable[str] = (), wait: float = 0.0) -> str:
        samples = prepare_audio(recording)
        self._known.wait(wait)
        longest = max([self._longest, *(len(a) for a in bounded_answers(extra_answers))])
        with self._slots:
            text = self._transcribe(wav_bytes(samples), longest + SLACK_CHARS)
        return text[: longest + SLACK_CHARS].strip()

    def _transcribe(self, wav: bytes, most: int) -> str:
        import openai

        asked_again = refused_bound = False
        while True:
            bounded = self._bounded
            try:
                result = self._client.audio.transcriptions.create(
                    model=self.model,
                    file=("answer.wav", wav, "audio/wav"),
                    language=LANGUAGE,
                    temperature=0.0,
                    response_format="json",
                    # vLLM's bound on new tokens: a token is at least a character, so this never cuts
                    # an answer short, and an engine that rambles stops early instead of at 448.
                    extra_body={BOUND_FIELD: most} if bounded else None,
                )
            except openai.APIConnectionError as exc:
                if not asked_again and not isinstance(exc, openai.APITimeoutError):
                    asked_again = True
                    continue
                raise self._failed("unreachable", exc) from exc
            except openai.BadRequestError as exc:
                if bounded and not refused_bound and names(exc, BOUND_FIELD):
                    refused_bound = True  # once: a 400 that names it again is the engine's error
                    self._without_the_bound()
                    continue
                raise self._failed("error", exc) from exc
            except openai.APIStatusError as exc:
                reason = {401: "refused", 403: "refused", 404: "no_model"}.get(exc.status_code, "error")
                raise self._failed(reason, exc) from exc
            except (openai.OpenAIError, ValueError) as exc:  # an answer that is not the API's
                raise self._failed("not_a_transcript", exc) from exc
            text = getattr(result, "text", None)
            if not isinstance(text, str):
                raise self._failed("not_a_transcript", ValueError(f"no transcript text in {type(result).__name__}"))
            self._set("ready")
            return text

    def _without_the_bound(self) -> None:
        """The engine refused BOUND_FIELD: every clip goes without it from now on (no second round trip
        each), said once in the log. The transcript is still cut to the decks' bound in `hear`."""
        with self._lock:
            first, self._bounded = self._bounded, False
        if first:
            log.warning(
                "the speech engine at %s does not take %s (vLLM's bound on a transcript's length, which "
                "OpenAI's API does not have): clips go without it from now on, and each transcript is still "
                "cut to %d characters (the decks' longest answer and a margin) before it is judged",
                self.shown,
                BOUND_FIELD,
                self._longest + SLACK_CHARS,
            )

    def _failed(self, reason: str, exc: Exception) -> ModelUnavailable:
        self._down(reason, f"{self.shown}, model {self.model}: {one_line(exc)}")
        return ModelUnavailable(say(DEFAULT, "model_failed"))

    def _down(self, reason: str, detail: str) -> None:
        """The engine failed: logged once for each new reason, not for every answer."""
        if self._set("failed", reason, detail):
            log.error("speech engine failed (%s): %s", reason, detail)

    # -- the page's word about speech --------------------------------------------------------------

    def status(self, lang: str = DEFAULT) -> ModelStatus:
        if time.monotonic() - self._checked > (READY_RECHECK_S if self._state == "ready" else RECHECK_S):
            self._recheck()
        state = self._state
        if state == "loading":
            return ModelStatus("loading", say(lang, "engine_checking", name=self.model), recovers=True)
        if state == "ready":
            return ModelStatus("ready", say(lang, "engine_ready", name=self.model))
        why = say(lang, f"why_engine_{self._reason}", name=self.model)
        return ModelStatus(
            "failed", say(lang, "model_failed"), why, self._detail, recovers=True, reason=f"engine_{self._reason}"
        )

    def _recheck(self) -> None:
        """Ask the engine, on a thread of its own, whether it serves the model: the page never waits."""
        with self._lock:
            if self._checking:
                return
            self._checking, self._checked = True, time.monotonic()
        threading.Thread(target=self._check, name="speech-engine-check", daemon=True).start()

    def _check(self) -> None:
        import openai

        try:
            served = [m.id for m in self._client.models.list(timeout=_timeout(RECHECK_S))]
            if self.model in served:
                self._set("ready")
            else:
                self._down("no_model", f"{self.shown} serves {', '.join(served) or 'no model'}, not {self.model}")
        except openai.APIStatusError as exc:
            self._down("refused" if exc.status_code in (401, 403) else "error", f"{self.shown}: {one_line(exc)}")
        except Exception as exc:  # whatever it is, the page says speech is unavailable and asks again later
            self._down("unreachable", f"{self.shown}: {one_line(exc)}")
        finally:
            with self._lock:
                self._checking, self._checked = False, time.monotonic()

    def _set(self, state: str, reason: str = "", detail: str = "") -> bool:
        """Record the engine's state; True when it changed (then it is logged once, not per answer)."""
        with self._lock:
            changed = (state, reason) != (self._state, self._reason)
            self._state, self._reason, self._detail = state, reason, detail
        if state == "ready" and changed:
            log.info("speech engine %s serves %s: speech is ready", self.shown, self.model)
        self._known.set()  # nobody waits for an engine that failed: the next answer tries it at once
        return changed


def names(error, field: str) -> bool:
    """Whether an engine's 400 is about `field`. OpenAI has answered an unknown parameter both as
    {"error": {"message": "Unknown parameter: 'X'.", "type": "invalid_request_error", "param": "X",
    "code": "unknown_parameter"}} and, earlier, {"error": {"message": "Unrecognized request argument
    supplied: X", "type": "invalid_request_error", "param": null, "code": null}}; other servers put
    only a message (tests/engine_double.py answers in both of OpenAI's shapes)."""
    return error.param == field or field in str(error.body)


def shown_url(url: str) -> str:
    """The engine's address as the log and the page may show it: a password in it (a proxy's basic
    authentication, `http://user:password@host/v1`) becomes ***."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=f"{parts.username}:***@{host}"))


def _timeout(total: float):
    import openai

    return openai.Timeout(total, connect=min(CONNECT_TIMEOUT_S, total))


def wav_bytes(samples: np.ndarray) -> bytes:
    """A prepared clip as a 16-bit WAV file in memory, levelled: what the transcription API takes."""
    import soundfile

    buffer = io.BytesIO()
    soundfile.write(buffer, levelled(samples), SAMPLE_RATE, format="WAV", subtype="PCM_16")
    return buffer.getvalue()


def levelled(samples: np.ndarray) -> np.ndarray:
    """The clip with its loudest sample at LEVEL_DBFS, raised by at most MAX_GAIN_DB. The model in
    this process needs no levelling (Whisper's features are scaled to each clip's loudest sound), but
    16-bit samples would keep a phone held far away in a few bits, and clip one held too close."""
    peak = float(np.abs(samples).max(initial=0.0))
    if peak == 0.0:
        return samples
    gain = min(10 ** (LEVEL_DBFS / 20) / peak, 10 ** (MAX_GAIN_DB / 20))
    return (samples * gain).astype(np.float32)
