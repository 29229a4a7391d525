"""/api/docs/: Swagger UI over /api/schema/, from this site's own static files.

The sidecar package ships Swagger UI's files; drf-spectacular's own page would add an inline
script and an inline style, which the Content Security Policy refuses (no inline code
without a nonce), so this page loads only files: the bundle and ``js/api-docs.js``.
"""

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET


@require_GET
def api_docs(request):
    return render(request, "api/docs.html", {"schema_url": reverse("api:schema")})
