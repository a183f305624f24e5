"""DPoP replay caches: in memory for one process, Redis for all; both fail closed."""

from __future__ import annotations

import pytest
import redis
from joserfc.jwk import ECKey

from tests.support.jose import URL, TestIssuer, dpop_headers, make_authenticator
from tests.support.ports import free_port
from trustframework.context import AccessContext
from trustframework.failures import AccessFailure, Reason
from trustframework.replay import (
    InMemoryReplayCache,
    RedisReplayCache,
    ReplayCacheUnavailable,
    replay_cache_from_url,
)


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_in_memory_cache_remembers_until_expiry() -> None:
    clock = FakeClock()
    cache = InMemoryReplayCache(clock=clock)
    assert cache.first_use("a", 10)
    assert not cache.first_use("a", 10)
    clock.now = 10
    assert cache.first_use("a", 10)
    assert len(cache) == 1


def test_in_memory_cache_is_bounded_and_fails_closed() -> None:
    clock = FakeClock()
    cache = InMemoryReplayCache(capacity=2, clock=clock)
    assert cache.first_use("a", 10)
    assert cache.first_use("b", 10)
    with pytest.raises(ReplayCacheUnavailable):
        cache.first_use("c", 10)
    clock.now = 11
    assert cache.first_use("c", 10)
    assert len(cache) == 1


def test_replay_cache_from_url() -> None:
    assert isinstance(replay_cache_from_url("memory://"), InMemoryReplayCache)
    assert isinstance(replay_cache_from_url("redis://127.0.0.1:1/0"), RedisReplayCache)
    with pytest.raises(ValueError, match="replay cache URL"):
        replay_cache_from_url("memcached://x")


@pytest.mark.redis
def test_redis_cache_is_shared_by_every_client(redis_url: str) -> None:
    first, second = RedisReplayCache.from_url(redis_url), RedisReplayCache.from_url(redis_url)
    assert first.first_use("shared-jti", 60)
    assert not second.first_use("shared-jti", 60)
    with redis.Redis.from_url(redis_url) as client:
        ttl = client.ttl("dokdeling:dpop-jti:shared-jti")
    assert 0 < ttl <= 60


@pytest.mark.redis
def test_a_proof_replayed_to_another_process_is_refused(
    redis_url: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    issuer = TestIssuer(tmp_path_factory.mktemp("issuer"))
    holder = ECKey.generate_key("P-256", private=True)
    token = issuer.sign(issuer.claims(cnf={"jkt": holder.thumbprint()}))
    headers = dpop_headers(token, holder)
    one = make_authenticator(issuer, replay_cache=RedisReplayCache.from_url(redis_url))
    other = make_authenticator(issuer, replay_cache=RedisReplayCache.from_url(redis_url))
    assert isinstance(one.authenticate("POST", URL, headers), AccessContext)
    failure = other.authenticate("POST", URL, headers)
    assert isinstance(failure, AccessFailure)
    assert failure.reason is Reason.DPOP_PROOF_REPLAYED


def test_an_unreachable_redis_refuses_with_503(tmp_path_factory: pytest.TempPathFactory) -> None:
    issuer = TestIssuer(tmp_path_factory.mktemp("issuer"))
    holder = ECKey.generate_key("P-256", private=True)
    token = issuer.sign(issuer.claims(cnf={"jkt": holder.thumbprint()}))
    nowhere = RedisReplayCache.from_url(f"redis://127.0.0.1:{free_port()}/0")
    failure = make_authenticator(issuer, replay_cache=nowhere).authenticate(
        "POST", URL, dpop_headers(token, holder)
    )
    assert isinstance(failure, AccessFailure)
    assert failure.reason is Reason.DPOP_REPLAY_CACHE_UNAVAILABLE
    assert failure.status == 503
