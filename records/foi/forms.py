import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from records.files.forms import MultipleFileField
from records.foi import letters, services
from records.foi.directory import public_bodies
from records.foi.services import CLASSIFIABLE, MANUAL
from records.models import BodySuggestion, FOIStatus, Language, SentVia


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class BodyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, body):
        if body.foi_email:
            return body.name
        return _("%(name)s (by post only)") % {"name": body.name}


def _not_in_future(day):
    if day and day > timezone.localdate():
        raise forms.ValidationError(_("This date is in the future."))
    return day


class RequestForm(forms.Form):
    """File a request: the letter starts from a template citing the law, then is the
    requester's to edit. ``action`` says which button was pressed."""

    public_body = BodyChoiceField(
        label=_("Public body"), queryset=public_bodies(), to_field_name="slug"
    )
    language = forms.ChoiceField(
        label=_("Language of the letter"), choices=Language.choices, initial=Language.SR_LATN
    )
    title = forms.CharField(
        label=pgettext_lazy("of a letter", "Subject"),
        max_length=300,
        help_text=_("A short public title, e.g. “Where is the camera footage stored?”"),
    )
    letter = forms.CharField(
        label=_("Your request"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=_(
            "Replace the bracketed text with what you ask for. Your name and address are added "
            "when it is sent, and never published."
        ),
    )
    urgent = forms.BooleanField(
        label=_("Urgent: it concerns life or freedom, public health or the environment"),
        required=False,
        help_text=_("The body must then answer within 48 hours."),
    )
    embargo_until = forms.DateField(
        label=_("Keep it private until (optional)"),
        required=False,
        widget=DateInput(),
        help_text=_("At most 12 months. Until then only you and the editors see the request."),
    )
    real_name = forms.CharField(
        label=_("Your full name (private)"),
        max_length=200,
        help_text=_("The law asks a request to carry it. It goes to the body only."),
    )
    postal_address = forms.CharField(
        label=_("Your postal address (private, optional for e-mail)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    sent_via = forms.ChoiceField(
        label=_("How it is sent"),
        choices=SentVia.choices,
        initial=SentVia.EMAIL,
        widget=forms.RadioSelect,
        help_text=_("By e-mail, Nadzor sends it now. By post or in person, you send it."),
    )
    sent_on = forms.DateField(
        label=_("Sent on (post or in person)"),
        required=False,
        widget=DateInput(),
    )
    received_on = forms.DateField(
        label=_("Delivered on (post; if known)"),
        required=False,
        widget=DateInput(),
        help_text=_("The deadline runs from the delivery. Without it, the sending date counts."),
    )
    submission_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def clean_letter(self):
        letter = self.cleaned_data["letter"].replace("\r\n", "\n").strip()
        if any(
            texts["placeholder"].lower() in letter.lower() for texts in letters.LETTERS.values()
        ):
            raise forms.ValidationError(
                _("Replace the text in square brackets with the information you ask for.")
            )
        return letter

    def clean(self):
        """The services' own rules of filing and sending (``services.check_*``)."""
        data = super().clean()
        for check, kwargs in (
            (services.check_embargo, {"embargo_until": data.get("embargo_until")}),
            (
                services.check_sending,
                {
                    "public_body": data.get("public_body"),
                    "via": data.get("sent_via"),
                    "sent_on": data.get("sent_on"),
                    "received_on": data.get("received_on"),
                },
            ),
        ):
            try:
                check(**kwargs)
            except services.FOIError as error:
                self.add_error(None, error)
        return data


class SendForm(forms.Form):
    """Send a draft (one that failed to go out, say)."""

    sent_via = RequestForm.base_fields["sent_via"]
    sent_on = RequestForm.base_fields["sent_on"]
    received_on = RequestForm.base_fields["received_on"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean(self):
        """The service's own rules of sending (``services.check_sending``)."""
        data = super().clean()
        if data.get("sent_via") and self.request is not None:
            try:
                services.check_sending(
                    self.request.public_body,
                    data["sent_via"],
                    sent_on=data.get("sent_on"),
                    received_on=data.get("received_on"),
                )
            except services.FOIError as error:
                self.add_error(None, error)
        return data


class ClassifyForm(forms.Form):
    status = forms.ChoiceField(
        label=_("This reply means"),
        choices=[("", _("Choose…")), *((value, FOIStatus(value).label) for value in CLASSIFIABLE)],
    )
    extended_to = forms.DateField(
        label=_("New deadline given by the body (for an extension)"),
        required=False,
        widget=DateInput(),
    )

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean(self):
        """The service's own rule of classifying (``services.check_classification``)."""
        data = super().clean()
        if data.get("status") and self.request is not None:
            try:
                services.check_classification(
                    self.request, data["status"], extended_to=data.get("extended_to")
                )
            except services.FOIError as error:
                self.add_error(None, error)
        return data


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"))
    on = forms.DateField(
        label=_("Date"), required=False, widget=DateInput(), validators=[_not_in_future]
    )

    def __init__(self, *args, editor=False, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = FOIStatus.values[1:] if editor else MANUAL
        self.fields["status"].choices = [(value, FOIStatus(value).label) for value in allowed]


class PostalReplyForm(forms.Form):
    """A reply that came by post (or was handed over), typed in with its scans."""

    received_on = forms.DateField(
        label=_("Received on"), widget=DateInput(), validators=[_not_in_future]
    )
    subject = forms.CharField(
        label=pgettext_lazy("of a letter", "Subject"), max_length=300, required=False
    )
    text = forms.CharField(
        label=_("Text of the reply (or a summary)"),
        required=False,
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    files = MultipleFileField(label=_("Scanned pages or files"), required=False)

    def clean(self):
        data = super().clean()
        if not data.get("text", "").strip() and not data.get("files"):
            raise forms.ValidationError(_("Type the reply's text or add its scans."))
        return data


class AppealSentForm(forms.Form):
    appealed_on = forms.DateField(
        label=_("I sent the appeal on"), widget=DateInput(), validators=[_not_in_future]
    )


class PublishFileForm(forms.Form):
    """Publishing a reply's file as it is: the requester confirms they read all of it."""

    confirm = forms.BooleanField(
        label=_(
            "I have read the whole file. Everything in it becomes public: names, addresses, "
            "signatures and every other detail."
        ),
        error_messages={"required": _("Confirm that everything in the file may be public.")},
    )


class WithdrawFileForm(forms.Form):
    """Taking a published file of a reply out of public view: nothing to fill in."""


class RedactedCopyForm(forms.Form):
    """A redacted copy of a reply's file, published in its place."""

    copy = forms.FileField(
        label=_("Redacted copy"),
        help_text=_(
            "In a copy of the file, black out the requester's name and address and anything "
            "else that must stay private (in the page itself: a box drawn over a PDF leaves "
            "the text under it), then upload the copy. The copy becomes public; the original "
            "stays visible only to the requester and the editors."
        ),
    )


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
