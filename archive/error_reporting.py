"""The optional error-reporting hook: Sentry's SDK (or any service that speaks its protocol,
such as GlitchTip), started from ``SENTRY_DSN``."""

import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration

from archive import __version__


def _add_request_id(event, hint):
    from archive.observability import request_id

    event.setdefault("tags", {})["request_id"] = request_id.get()
    return event


def start_error_reporting(dsn, *, environment):
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=f"nadzor@{__version__}",
        integrations=[DjangoIntegration()],
        # Requesters' addresses, cookies and form bodies stay here.
        send_default_pii=False,
        max_request_body_size="never",
        traces_sample_rate=0,
        before_send=_add_request_id,
    )
