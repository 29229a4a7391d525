"""What a signed-in user sends to the directory's editors: a body to add, or a correction."""

from django import forms
from django.utils.translation import gettext_lazy as _

from records.models import BodySuggestion


class SuggestionForm(forms.ModelForm):
    """A body to add (``body`` is None: a name is needed) or a correction of ``body`` (at
    least one detail, or a note saying what is wrong)."""

    class Meta:
        model = BodySuggestion
        fields = [
            "name",
            "body_kind",
            "foi_email",
            "postal_address",
            "website",
            "source",
            "note",
        ]
        widgets = {
            "postal_address": forms.Textarea(attrs={"rows": 3}),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, body=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.body = body
        if body is None:
            self.fields["name"].required = True
        else:
            self.fields["name"].label = _("correct name")
            self.fields["note"].help_text = _("What is wrong, if it is not clear from the above.")

    def clean(self):
        data = super().clean()
        details = ("name", "body_kind", "foi_email", "postal_address", "website", "note")
        if self.body is not None and not any(data.get(field) for field in details):
            raise forms.ValidationError(_("Give the correct detail, or say what is wrong."))
        return data
