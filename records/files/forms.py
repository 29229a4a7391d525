from django import forms

from records.files.storage import RejectedFile, check


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input: pick them, or drop them onto it."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        cleaned = [super(MultipleFileField, self).clean(item, initial) for item in files]
        errors = []
        for upload in cleaned:
            try:
                check(upload)
            except RejectedFile as error:
                errors.append(f"{upload.name}: {error}")
        if errors:
            raise forms.ValidationError(errors)
        return cleaned
