"""The API's rate limits: one for anonymous clients (``API_RATE``, per client address) and one
for signed-in accounts (``API_RATE_SIGNED_IN``, per account). Each request is counted by
exactly one of them, so raising either rate takes effect. Rates are read when a request is
checked, not when the module is imported, and the address is ``archive.client_ip``'s."""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from archive.client_ip import client_ip


class _Throttle(SimpleRateThrottle):
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def get_ident(self, request):
        return client_ip(request)


class AnonymousRateThrottle(_Throttle):
    scope = "anon"

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class SignedInRateThrottle(_Throttle):
    scope = "user"

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}
