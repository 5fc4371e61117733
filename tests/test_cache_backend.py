"""newsroom.cache.RedisCache: Django's Redis backend with its clients reused (#6)."""

import os
import socket
import uuid
import warnings

import pytest

from newsroom.cache import RedisCache
from newsroom.pagecache import PURGED
from newsroom.surrogate_keys import FRONT, stories_key, tag_key


def redis_answers():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.fixture
def cache():
    if not redis_answers():
        if os.environ.get("CI") == "true":
            pytest.fail("Redis must answer on 127.0.0.1:6379 in CI.")
        pytest.skip("No Redis on 127.0.0.1:6379.")
    backend = RedisCache("redis://127.0.0.1:6379/15", {"KEY_PREFIX": f"test-{uuid.uuid4()}"})
    yield backend
    backend.clear()


class RedisCacheTests:
    def test_stores_and_reads_like_djangos_backend(self, cache):
        cache.set("page", {"content": b"<p>Hello</p>", "keys": [FRONT]}, 30)
        assert cache.get("page") == {"content": b"<p>Hello</p>", "keys": [FRONT]}
        assert cache.add("clock", 0, timeout=None) and cache.incr("clock") == 1
        cache.set_many({"a": 1, "b": 2})
        assert cache.get_many(["a", "b", "missing"]) == {"a": 1, "b": 2}

    def test_one_client_per_pool_is_reused(self, cache):
        client = cache._cache
        assert client.get_client("a") is client.get_client("b")
        assert client.get_client(write=True) is client.get_client(write=True)

    def test_keys_are_not_held_to_memcacheds_limits(self, cache):
        key = PURGED + stories_key(tag_key("x" * 300 + " with spaces"))
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            cache.set(key, 1)
            assert cache.get(key) == 1
