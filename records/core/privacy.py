"""``Cache-Control: private, no-store`` on every page served to a signed-in user.

Such a page shows their own data (the account page, their data download, their embargoed
request, an appeal, and their name in every page's header); no shared cache (a proxy, a
CDN) may keep it, nor the browser's disk cache on a shared computer."""

from django.utils.cache import patch_cache_control, patch_vary_headers


class PrivatePagesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
            patch_vary_headers(response, ["Cookie"])
        return response
