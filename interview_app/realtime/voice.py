"""The local interviewer's voice: espeak-ng speech on a WebRTC audio track (silence without it)."""

from __future__ import annotations

import asyncio
import fractions
import io
import shutil
import time
import wave

import numpy as np
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack
from av import AudioFrame

SAMPLE_RATE = 48000
FRAME_SAMPLES = SAMPLE_RATE // 50  # 20 ms
ESPEAK = shutil.which("espeak-ng")


async def synthesize(text: str, words_per_minute: int) -> np.ndarray | None:
    """Mono int16 samples at 48 kHz for ``text`` said at that rate, or None when espeak-ng is not installed."""
    if ESPEAK is None:
        return None
    proc = await asyncio.create_subprocess_exec(
        ESPEAK,
        "--stdout",
        "-s",
        str(words_per_minute),
        text,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        wav_bytes, _ = await proc.communicate()
    except asyncio.CancelledError:  # the call ended: no espeak-ng process is left behind
        proc.kill()
        await proc.wait()
        raise
    if proc.returncode != 0 or not wav_bytes:
        return None
    with wave.open(io.BytesIO(wav_bytes)) as wav:
        rate = wav.getframerate()
        samples = np.frombuffer(wav.readframes(wav.getnframes()), dtype=np.int16)
    positions = np.arange(0, len(samples), rate / SAMPLE_RATE)  # linear resampling is plenty for speech
    return np.interp(positions, np.arange(len(samples)), samples).astype(np.int16)


class VoiceTrack(MediaStreamTrack):
    """An audio track that plays queued speech and silence in between, paced in real time."""

    kind = "audio"

    def __init__(self):
        super().__init__()
        self._pending = np.zeros(0, dtype=np.int16)
        self._timestamp = 0
        self._start: float | None = None
        self._drained = asyncio.Event()
        self._drained.set()

    def say(self, samples: np.ndarray) -> None:
        self._pending = np.concatenate([self._pending, samples])
        self._drained.clear()

    def clear(self) -> None:
        """Stop speaking now (the candidate or client moved on)."""
        self._pending = np.zeros(0, dtype=np.int16)
        self._drained.set()

    async def until_quiet(self) -> None:
        """Wait until everything queued has been played."""
        await self._drained.wait()

    async def recv(self) -> AudioFrame:
        if self.readyState != "live":
            raise MediaStreamError
        if self._start is None:
            self._start = time.time()
        else:
            self._timestamp += FRAME_SAMPLES
            await asyncio.sleep(max(0.0, self._start + self._timestamp / SAMPLE_RATE - time.time()))
        chunk, self._pending = self._pending[:FRAME_SAMPLES], self._pending[FRAME_SAMPLES:]
        if len(self._pending) == 0:
            self._drained.set()
        if len(chunk) < FRAME_SAMPLES:
            chunk = np.concatenate([chunk, np.zeros(FRAME_SAMPLES - len(chunk), dtype=np.int16)])
        frame = AudioFrame.from_ndarray(chunk.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = SAMPLE_RATE
        frame.pts = self._timestamp
        frame.time_base = fractions.Fraction(1, SAMPLE_RATE)
        return frame
