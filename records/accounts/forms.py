from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from records.core.names import normalise_public_name
from records.models import Profile

NAME_TAKEN = _("This public name is, or looks like, another requester's. Choose another.")


def clean_public_name(value, *, user=None):
    """A public name in its normal form that passes for nobody else's."""
    name = normalise_public_name(value)
    if Profile.name_taken(name, user=user):
        raise forms.ValidationError(NAME_TAKEN, code="taken")
    return name


class SignupForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("We send a link to confirm it. It is never shown on the site."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    display_name = forms.CharField(
        label=_("Public name"),
        max_length=100,
        help_text=_("Shown on your requests. A pseudonym is fine."),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits, not a common password."),
    )

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_display_name(self):
        return clean_public_name(self.cleaned_data["display_name"])

    def clean(self):
        data = super().clean()
        if data.get("password"):
            probe = get_user_model()(username=data.get("email", ""), email=data.get("email", ""))
            try:
                password_validation.validate_password(data["password"], probe)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return data


class LoginForm(AuthenticationForm):
    """Log in with the e-mail address (it is the username)."""

    username = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autofocus": True})
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The e-mail address or password is wrong, or the address is not confirmed yet."
        ),
    }

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = ["display_name", "real_name", "postal_address", "language"]
        widgets = {"postal_address": forms.Textarea(attrs={"rows": 3})}

    def clean_display_name(self):
        return clean_public_name(self.cleaned_data["display_name"], user=self.instance.user)


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        if not self.user.check_password(self.cleaned_data["password"]):
            raise forms.ValidationError(_("That is not your password."))
        return self.cleaned_data["password"]
