"""A tab keeps its Reflex state when the worker holding its websocket dies.

Reflex's Redis token manager records which socket holds each tab's token, to give a duplicated tab
a token (so a state) of its own. A worker that dies (an out-of-memory kill, a crash) cannot delete
its records, so when its tabs reconnect to a live worker, Reflex takes each for a duplicate and
hands it a fresh, empty state: the interview on the page (phase, call, unsent turns) is gone.

:class:`LiveWorkerTokenManager` adds what Reflex lacks: each worker process keeps a short-lived
"alive" key in Redis and notes which worker linked each token. When a tab's token is held by a
worker whose key has expired, the record is stale and the tab takes its token (and state) back. A
true duplicate (its worker alive) still gets a token of its own, after waiting at most
``ALIVE_TTL_S`` to be sure the holder is alive (the price of a duplicated tab, which is rare).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
import uuid

from redis.exceptions import RedisError
from reflex.utils import token_manager
from reflex.utils.tasks import ensure_task

log = logging.getLogger(__name__)

BEAT_S = 0.5
ALIVE_TTL_S = 2  # a worker silent this long is dead: its tabs may take their tokens back
WAIT_STEP_S = 0.2


def _alive_key(worker: str) -> str:
    return f"interview:worker_alive:{worker}"


def _owner_key(token: str) -> str:
    return f"interview:token_worker:{token}"


class LiveWorkerTokenManager(token_manager.RedisTokenManager):
    """Reflex's Redis token manager, which gives a tab its token back from a worker that died."""

    def __init__(self, redis) -> None:
        super().__init__(redis)
        self._worker_pid = 0
        self._worker = ""
        self._heartbeat_task: asyncio.Task | None = None

    @property
    def worker(self) -> str:
        """This process's id (the manager is built before granian forks its workers, so per pid)."""
        if self._worker_pid != os.getpid():
            self._worker_pid, self._worker, self._heartbeat_task = os.getpid(), uuid.uuid4().hex, None
        return self._worker

    async def _beat(self) -> None:
        while True:
            try:
                await self.redis.set(_alive_key(self.worker), "1", ex=ALIVE_TTL_S)
            except (RedisError, OSError) as exc:  # Redis restarting: beat again when it is back
                log.warning("worker heartbeat: %s", exc)
            await asyncio.sleep(BEAT_S)

    async def _start_beating(self) -> None:
        worker = self.worker
        ensure_task(owner=self, task_attribute="_heartbeat_task", coro_function=self._beat)
        if not await self.redis.exists(_alive_key(worker)):  # alive before claiming a token
            await self.redis.set(_alive_key(worker), "1", ex=ALIVE_TTL_S)

    async def _holder_is_dead(self, token: str) -> bool:
        """The worker that linked ``token`` has stopped beating (waits up to ALIVE_TTL_S to know)."""
        owner = await self.redis.get(_owner_key(token))
        if owner is None:
            return False  # linked by a worker that predates this manager: Reflex decides
        owner = owner.decode() if isinstance(owner, bytes) else owner
        if owner == self.worker:
            return False
        deadline = time.monotonic() + ALIVE_TTL_S + BEAT_S
        while await self.redis.exists(_alive_key(owner)):
            if time.monotonic() >= deadline:
                return False
            await asyncio.sleep(WAIT_STEP_S)
        return True

    async def link_token_to_sid(self, token: str, sid: str) -> str | None:
        try:
            await self._start_beating()
            record_key = self._get_redis_key(token)
            stale = (
                token not in self.token_to_socket
                and await self.redis.exists(record_key)
                and await self._holder_is_dead(token)
            )
            if stale:
                log.info("tab %s… reconnected from a dead worker: it keeps its state", token[:8])
                await self.redis.delete(record_key)
        except (RedisError, OSError) as exc:
            log.warning("token hand-over check: %s", exc)
        new_token = await super().link_token_to_sid(token, sid)
        try:
            await self.redis.set(_owner_key(new_token or token), self.worker, ex=self.token_expiration)
        except (RedisError, OSError) as exc:
            log.warning("token owner record: %s", exc)
        return new_token

    async def close(self) -> None:
        """Stop beating (the alive key then expires, as a dead worker's does), then Reflex's close."""
        task, self._heartbeat_task = self._heartbeat_task, None
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await super().close()


def install() -> None:
    """Make Reflex build :class:`LiveWorkerTokenManager` where it would build its Redis one.
    Call before ``rx.App(...)``: the app builds its token manager when it is created."""
    original = token_manager.TokenManager.create.__func__  # pyright: ignore[reportFunctionMemberAccess]

    def create(cls) -> token_manager.TokenManager:
        manager = original(cls)
        if type(manager) is token_manager.RedisTokenManager:
            return LiveWorkerTokenManager(manager.redis)
        return manager

    token_manager.TokenManager.create = classmethod(create)  # pyright: ignore[reportAttributeAccessIssue]
