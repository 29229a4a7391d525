"""The server-error page: 503 while the database is unreachable, 500 otherwise.

Django calls ``handler500`` inside its ``except`` block, so the exception is at hand. A
lost database (a restart, a failover, a full connection table) is temporary and not the
reader's fault: the answer says so with 503 and ``Retry-After``, which also tells a load
balancer and a crawler to come back instead of counting a broken page. Neither page
touches the database or a template that might.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponseServerError, JsonResponse
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

RETRY_AFTER_SECONDS = 30


@requires_csrf_token
def server_error(request):
    error = sys.exc_info()[1]
    unavailable = isinstance(error, OperationalError | InterfaceError)
    status = 503 if unavailable else 500
    if request.path.startswith("/api/"):
        detail = (
            "The archive's database is unreachable for a moment. Try again shortly."
            if unavailable
            else "Server error."
        )
        response = JsonResponse({"detail": detail}, status=status)
    else:
        template = loader.get_template("503.html" if unavailable else "500.html")
        response = HttpResponseServerError(template.render())
        response.status_code = status
    if unavailable:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
