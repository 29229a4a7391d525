"""The second factor: a one-time code from an authenticator app (TOTP, RFC 6238).

Staff must pass it before the admin opens; on first use they set it up by scanning a QR
code (drawn on the server as SVG, with the key also written out for manual entry).
Wrong codes are throttled by django-otp, with growing delays.
"""

from base64 import b32encode

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice


class CodeForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class TwoFactorView(LoginRequiredMixin, FormView):
    template_name = "accounts/two_factor.html"
    form_class = CodeForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            user = request.user
            self.device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            self.setting_up = self.device is None
            if self.setting_up:
                self.device = TOTPDevice.objects.filter(
                    user=user, confirmed=False
                ).first() or TOTPDevice.objects.create(
                    user=user, name=_("Authenticator app"), confirmed=False
                )
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        allowed, _details = self.device.verify_is_allowed()
        token = "".join(form.cleaned_data["token"].split())
        if not allowed or not self.device.verify_token(token):
            form.add_error(
                "token", _("That code is not right, or came too late. Try the next one.")
            )
            return self.form_invalid(form)
        if self.setting_up:
            self.device.confirmed = True
            self.device.save(update_fields=["confirmed"])
        otp_login(self.request, self.device)
        messages.success(self.request, _("Two-factor check passed."))
        next_url = self.request.GET.get("next") or self.request.POST.get("next") or ""
        if not url_has_allowed_host_and_scheme(
            next_url,
            allowed_hosts={self.request.get_host()},
            require_https=self.request.is_secure(),
        ):
            next_url = "admin:index" if self.request.user.is_staff else "accounts:profile"
        return redirect(next_url)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["setting_up"] = self.setting_up
        context["next"] = self.request.GET.get("next", "")
        if self.setting_up:
            # The key as the app shows it, and as a QR code (inline SVG: no script, no host).
            # A viewBox and no fixed size, so the stylesheet scales the whole code, not a
            # corner of it: a QR code missing its finder patterns cannot be scanned.
            context["secret"] = b32encode(self.device.bin_key).decode().rstrip("=")
            context["qr_svg"] = mark_safe(  # noqa: S308 -- segno's own SVG of our own URL
                segno.make(self.device.config_url, error="m").svg_inline(
                    scale=5, dark="#111827", omitsize=True
                )
            )
        return context
