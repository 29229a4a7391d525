"""Password spraying from one address: after ``LOGIN_FAILURE_RATE_PER_ADDRESS`` failed
log-ins (any accounts), that address's log-in form answers 429 until the window ends.

django-axes locks an account from one address after ``LOGIN_FAILURE_LIMIT`` failures;
this counts an address's failures over all accounts, with a higher limit, so that many
people behind one NAT or Tor exit are not locked out by one of them, while one client
cannot try a few passwords on every account."""

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver
from django_ratelimit.core import get_usage

from records.core.ratelimits import over_limit, too_many_requests

GROUP = "login-failures-per-address"
LOGIN_VIEWS = {"accounts:login", "admin:login"}


@receiver(user_login_failed, dispatch_uid="records-count-login-failures")
def count_failure(sender, credentials, request=None, **kwargs):
    if request is not None:
        over_limit(request, group=GROUP, rate=settings.LOGIN_FAILURE_RATE_PER_ADDRESS)


class LoginFailuresPerAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        match = request.resolver_match
        if request.method != "POST" or match is None or match.view_name not in LOGIN_VIEWS:
            return None
        usage = get_usage(
            request,
            group=GROUP,
            key="ip",
            rate=settings.LOGIN_FAILURE_RATE_PER_ADDRESS,
            method=get_usage.ALL,
            increment=False,
        )
        if usage is not None and usage["count"] >= usage["limit"]:
            return too_many_requests(request)
        return None
