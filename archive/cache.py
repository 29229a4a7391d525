"""A Redis cache that degrades instead of failing.

The shared cache holds rate-limit counters and a few short-lived lists; nothing in it is the
only copy of anything. When Redis cannot be reached, every operation acts as a miss (reads
find nothing, writes are dropped, counters start again) and the outage is logged, at most
once every ``LOG_EVERY`` seconds per process. Rate limits therefore fail open: search, the API,
sign-up and incoming mail keep working, unlimited, until Redis is back.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger("archive.cache")
LOG_EVERY = 60


class FailOpenRedisCache(RedisCache):
    _last_logged = 0.0

    def _failed(self, operation, error):
        from archive import metrics

        metrics.CACHE_ERRORS.inc()
        now = time.monotonic()
        if now - FailOpenRedisCache._last_logged >= LOG_EVERY:
            FailOpenRedisCache._last_logged = now
            logger.warning(
                "Redis cache unreachable (%s: %s); rate limits are not enforced until it is back.",
                operation,
                error,
            )

    def add(self, *args, **kwargs):
        try:
            return super().add(*args, **kwargs)
        except RedisError as error:
            self._failed("add", error)
            return False

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except RedisError as error:
            self._failed("get", error)
            return default

    def set(self, *args, **kwargs):
        try:
            return super().set(*args, **kwargs)
        except RedisError as error:
            self._failed("set", error)

    def touch(self, *args, **kwargs):
        try:
            return super().touch(*args, **kwargs)
        except RedisError as error:
            self._failed("touch", error)
            return False

    def delete(self, *args, **kwargs):
        try:
            return super().delete(*args, **kwargs)
        except RedisError as error:
            self._failed("delete", error)
            return False

    def get_many(self, *args, **kwargs):
        try:
            return super().get_many(*args, **kwargs)
        except RedisError as error:
            self._failed("get_many", error)
            return {}

    def has_key(self, *args, **kwargs):
        try:
            return super().has_key(*args, **kwargs)
        except RedisError as error:
            self._failed("has_key", error)
            return False

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except RedisError as error:
            self._failed("incr", error)
            # What a cache says of a missing key: the callers (django-ratelimit, the mail
            # sender limit) then count from scratch.
            raise ValueError(f"Key {key!r} not found (cache unreachable).") from None

    def set_many(self, *args, **kwargs):
        try:
            return super().set_many(*args, **kwargs)
        except RedisError as error:
            self._failed("set_many", error)
            return []

    def delete_many(self, *args, **kwargs):
        try:
            return super().delete_many(*args, **kwargs)
        except RedisError as error:
            self._failed("delete_many", error)

    def clear(self):
        try:
            return super().clear()
        except RedisError as error:
            self._failed("clear", error)
            return False

    def ping(self):
        """True when Redis answers (for the readiness check); raises otherwise."""
        return self._cache.get_client(write=True).ping()
