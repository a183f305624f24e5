"""DPoP proof replay detection (RFC 9449 §11.1): each proof `jti` is accepted once.

`ReplayCache.first_use(key, ttl_seconds)` records a key and answers whether it was new. The
in-memory cache serves one process; the Redis cache (`SET NX EX`) serves every process and host of
a deployment. Both fail closed: a full in-memory cache or an unreachable Redis raises
ReplayCacheUnavailable, and the request is refused rather than accepted unchecked.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol

import redis

from trustframework.settings import MEMORY_REPLAY_CACHE

KEY_PREFIX = "dokdeling:dpop-jti:"


class ReplayCacheUnavailable(Exception):
    """The cache cannot say whether a proof was seen before."""


class ReplayCache(Protocol):
    def first_use(self, key: str, ttl_seconds: int) -> bool:
        """Record `key` for `ttl_seconds`; True if it was not recorded already."""
        ...


class InMemoryReplayCache:
    """A bounded, thread-safe cache for one process; expired keys are dropped as time passes."""

    def __init__(
        self, capacity: int = 100_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.capacity = capacity
        self.clock = clock
        self._expiry: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def first_use(self, key: str, ttl_seconds: int) -> bool:
        now = self.clock()
        with self._lock:
            self._drop_expired(now)
            if key in self._expiry:
                return False
            if len(self._expiry) >= self.capacity:
                raise ReplayCacheUnavailable(f"more than {self.capacity} live DPoP proofs")
            self._expiry[key] = now + ttl_seconds
            return True

    def _drop_expired(self, now: float) -> None:
        # Keys are inserted with one TTL per deployment, so the oldest expire first; a key that
        # lives longer than the ones behind it only delays their removal, never their detection.
        while self._expiry:
            key, expires = next(iter(self._expiry.items()))
            if expires > now:
                return
            del self._expiry[key]

    def __len__(self) -> int:
        return len(self._expiry)


class RedisReplayCache:
    """Replay detection shared by all processes through Redis (`SET key 1 NX EX ttl`)."""

    def __init__(self, client: redis.Redis) -> None:
        self.client = client

    @classmethod
    def from_url(cls, url: str) -> RedisReplayCache:
        return cls(redis.Redis.from_url(url, socket_timeout=2.0, socket_connect_timeout=2.0))

    def first_use(self, key: str, ttl_seconds: int) -> bool:
        try:
            created = self.client.set(KEY_PREFIX + key, b"1", nx=True, ex=max(ttl_seconds, 1))
        except redis.RedisError as exc:
            raise ReplayCacheUnavailable(f"Redis: {exc}") from exc
        return bool(created)


def replay_cache_from_url(url: str) -> ReplayCache:
    """`memory://` for one process, `redis://` / `rediss://` for a shared cache."""
    if url == MEMORY_REPLAY_CACHE:
        return InMemoryReplayCache()
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisReplayCache.from_url(url)
    raise ValueError(f"replay cache URL must be {MEMORY_REPLAY_CACHE} or redis://…, not {url!r}")
