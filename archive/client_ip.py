"""The client's address, as every part of the archive counts it.

Rate limits (django-ratelimit and the API's throttles), the log-in lock-out (django-axes) and
the request log all read it from ``client_ip``, so they agree. Behind ``PROXY_COUNT`` trusted
reverse proxies each one appended the address it saw to ``X-Forwarded-For``; the client is the
entry the outermost trusted proxy appended, ``PROXY_COUNT`` from the right. Earlier entries
are whatever the client claimed and are never trusted. A header that is malformed, or shorter
than the proxies in front, is ignored: the address is then the connection's own.
"""

import ipaddress

from django.conf import settings

# Returned when no address is known (gunicorn on a Unix socket gives none): rate limits then
# count such requests together rather than fail.
UNKNOWN = "0.0.0.0"  # noqa: S104 (an address value, never bound)


def _address(value):
    value = (value or "").strip()
    if value.startswith("[") and "]" in value:  # [2001:db8::1]:443
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # 203.0.113.7:51234
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request):
    """The client's address as a normalised string (never raises)."""
    remote = _address(request.META.get("REMOTE_ADDR")) or UNKNOWN
    proxies = getattr(settings, "PROXY_COUNT", 0)
    if not proxies:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    if len(forwarded) < proxies:
        return remote
    return _address(forwarded[-proxies]) or remote
