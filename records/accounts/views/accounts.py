"""Accounts for requesters: sign-up with a confirmed e-mail address, log-in, password
reset, a profile with a public name, the requester's own data, and deleting it all."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.hashers import make_password
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from records.accounts.forms import DeleteAccountForm, LoginForm, ProfileForm, SignupForm
from records.core.ratelimits import over_limit, too_many_requests
from records.foi.notify import send_to_user
from records.models import FOIRequest, Follow, Profile

User = get_user_model()


def _email_key(group, request):
    return request.POST.get("email", "").strip().lower()


class SignupView(FormView):
    """Sign up; the account opens once the address is confirmed.

    The page says the same thing whether the address is new or already has an account
    (whose owner gets an e-mail instead), so the form cannot be used to find out who has
    an account. Sign-ups are limited per IP address and per e-mail address.
    """

    template_name = "accounts/signup.html"
    form_class = SignupForm

    def post(self, request, *args, **kwargs):
        if over_limit(request, group="signup-ip", rate=settings.SIGNUP_RATE_PER_IP) or (
            over_limit(
                request,
                group="signup-address",
                rate=settings.SIGNUP_RATE_PER_ADDRESS,
                key=_email_key,
            )
        ):
            return too_many_requests(request)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        # Hashing the password is most of the work (on purpose: it is slow), so it is done
        # once whether or not the address has an account; otherwise the answer's timing
        # (13-86 ms against 1.3-1.7 s) would tell who has one.
        password = make_password(data["password"])
        existing = User.objects.filter(username=data["email"]).first()
        if existing and existing.is_active:
            send_to_user(existing, "account_exists", {"login_url": _absolute("accounts:login")})
        elif existing:
            _send_confirmation(existing)
        else:
            with transaction.atomic():
                user = User(
                    username=data["email"], email=data["email"], password=password, is_active=False
                )
                user.save()
                Profile.objects.create(
                    user=user, display_name=data["display_name"], language=get_language()
                )
            _send_confirmation(user)
        return redirect("accounts:signup-sent")


def _absolute(name, **kwargs):
    return settings.SITE_URL + reverse(name, kwargs=kwargs or None)


def _send_confirmation(user):
    url = _absolute(
        "accounts:confirm",
        uidb64=urlsafe_base64_encode(force_bytes(user.pk)),
        token=default_token_generator.make_token(user),
    )
    send_to_user(user, "confirm_account", {"confirm_url": url})


class SignupSentView(TemplateView):
    template_name = "accounts/signup_sent.html"


class ConfirmView(View):
    """The link from the confirmation e-mail: it opens the account and logs in, once."""

    def get(self, request, uidb64, token):
        try:
            user = User.objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))))
        except (ValueError, TypeError, OverflowError, User.DoesNotExist):
            user = None
        if user is None or not default_token_generator.check_token(user, token):
            return render(request, "accounts/confirm_failed.html", status=400)
        if not user.is_active:
            user.is_active = True
            user.save(update_fields=["is_active"])
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Your address is confirmed. Welcome to Nadzor."))
        return redirect("accounts:profile")


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "emails/password_reset.txt"
    subject_template_name = "emails/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-sent")
    extra_email_context = {"site_url": settings.SITE_URL}

    def post(self, request, *args, **kwargs):
        if over_limit(request, group="password-reset", rate=settings.SIGNUP_RATE_PER_IP):
            return too_many_requests(request)
        return super().post(request, *args, **kwargs)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:login")

    def form_valid(self, form):
        messages.success(self.request, _("Your password is changed. Log in with it."))
        return super().form_valid(form)


class ProfileView(LoginRequiredMixin, FormView):
    """The requester's own page: public name, private details, requests and follows."""

    template_name = "accounts/profile.html"
    form_class = ProfileForm

    def get_form_kwargs(self):
        profile = Profile.objects.for_user(self.request.user)
        return {**super().get_form_kwargs(), "instance": profile}

    def form_valid(self, form):
        form.save()
        messages.success(self.request, _("Your profile is saved."))
        return redirect("accounts:profile")

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            requests=FOIRequest.objects.filter(requester=user)
            .select_related("public_body")
            .order_by("-created_at"),
            follows=Follow.objects.filter(user=user).select_related("request", "body"),
            today=timezone.localdate(),
            **kwargs,
        )


class DeleteAccountView(LoginRequiredMixin, FormView):
    """Delete the account. Requests stay public, by "a former user"."""

    template_name = "accounts/delete.html"
    form_class = DeleteAccountForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        user = self.request.user
        logout(self.request)
        user.delete()
        messages.success(self.request, _("Your account is deleted."))
        return redirect("records:home")


class MyDataView(LoginRequiredMixin, View):
    """Everything the archive keeps about the requester, as one JSON file."""

    def get(self, request):
        user = request.user
        profile = getattr(user, "profile", None)
        data = {
            "email": user.email,
            "joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "profile": {
                "display_name": profile.display_name if profile else "",
                "real_name": profile.real_name if profile else "",
                "postal_address": profile.postal_address if profile else "",
                "language": profile.language if profile else "",
            },
            "requests": [
                {
                    "id": foi.public_id,
                    "title": foi.title,
                    "public_body": foi.public_body.name if foi.public_body else None,
                    "status": foi.foi_status,
                    "sent_on": foi.sent_on.isoformat() if foi.sent_on else None,
                    "url": settings.SITE_URL + foi.get_absolute_url(),
                }
                for foi in FOIRequest.objects.filter(requester=user).select_related("public_body")
            ],
            "follows": [
                str(follow.request or follow.body)
                for follow in Follow.objects.filter(user=user).select_related("request", "body")
            ],
        }
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
        )
        response["Content-Disposition"] = 'attachment; filename="nadzor-my-data.json"'
        return response
