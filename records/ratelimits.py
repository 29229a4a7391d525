"""Rate limits (django-ratelimit's counters in the cache), answered with a clear 429 page."""

from django.shortcuts import render
from django_ratelimit.core import is_ratelimited


def over_limit(request, *, group, rate, key="ip", increment=True):
    """True when ``request`` is over ``rate`` ("5/h") for ``key`` (a django-ratelimit key:
    "ip", "post:email", or a callable)."""
    return is_ratelimited(
        request, group=group, key=key, rate=rate, method=is_ratelimited.ALL, increment=increment
    )


def too_many_requests(request):
    return render(request, "429.html", status=429)
