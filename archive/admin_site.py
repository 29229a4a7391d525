"""The editors' admin opens only to staff who confirmed a one-time code this session."""

from urllib.parse import urlencode

from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse


class TwoFactorAdminSite(admin.AdminSite):
    """Staff log in with their password, then with a TOTP code (set up on first use).

    Until the code is confirmed, every admin page sends them to the two-factor step; a
    stolen password alone opens nothing.
    """

    def has_permission(self, request):
        return super().has_permission(request) and request.user.is_verified()

    def login(self, request, extra_context=None):
        user = request.user
        if user.is_authenticated and user.is_active and user.is_staff and not user.is_verified():
            next_url = request.GET.get("next") or reverse("admin:index")
            return redirect(f"{reverse('accounts:two-factor')}?{urlencode({'next': next_url})}")
        return super().login(request, extra_context)

    def each_context(self, request):
        # "View site" opens the public site in the admin's language (/sr/ from /sr/admin/).
        return {**super().each_context(request), "site_url": reverse("records:home")}
