"""Rate limits (django-ratelimit's counters in the cache), answered with a clear 429 page."""

import hashlib

from django.core.cache import cache
from django.shortcuts import render
from django_ratelimit.core import _split_rate, is_ratelimited


def over_limit(request, *, group, rate, key="ip", increment=True):
    """True when ``request`` is over ``rate`` ("5/h") for ``key`` (a django-ratelimit key:
    "ip", "post:email", or a callable)."""
    return is_ratelimited(
        request, group=group, key=key, rate=rate, method=is_ratelimited.ALL, increment=increment
    )


def too_many_requests(request):
    return render(request, "429.html", status=429)


def sender_over_limit(sender, *, rate):
    """Count one message from ``sender`` (an e-mail address) against ``rate``; True when
    it is over. A fixed window in the cache, like the web limits."""
    count, period = _split_rate(rate)
    key = "mail-sender:" + hashlib.sha256(sender.strip().lower().encode()).hexdigest()
    cache.add(key, 0, timeout=period)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=period)
        used = 1
    return used > count
