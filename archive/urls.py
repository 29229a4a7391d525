from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from records.urls import account_patterns, foi_patterns

handler500 = "archive.errors.server_error"

urlpatterns = [
    path("api/", include("records.api.urls")),
]

# Pages carry their language in the URL: English at /, Serbian at /sr-latn/ and /sr/. The
# editors' admin too (/sr/admin/), with the same switcher.
urlpatterns += i18n_patterns(
    path("", include("records.urls")),
    path("", include(foi_patterns)),
    path("account/", include(account_patterns)),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)

if settings.DEBUG:
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]
