from django import template
from django.utils.translation import get_language

from records.markdown import render_markdown
from records.transliteration import cyrillic_to_latin, latin_to_cyrillic

register = template.Library()


@register.filter
def markdown(text):
    return render_markdown(text)


@register.filter
def partial_date(record):
    """A record's date as the reader's language writes it, or an empty string."""
    partial = record.partial_date
    return partial.display() if partial else ""


@register.simple_tag(takes_context=True)
def page_url(context, number):
    """The current list URL, filters kept, at page ``number``."""
    query = context.get("query_without_page", "")
    return f"?{query}&page={number}" if query else f"?page={number}"


# Serbian is shown in the reader's script: a Cyrillic record reads in Latin under
# /sr-latn/, a Latin one in Cyrillic under /sr/ (Cyrillic to Latin is exact; Latin to
# Cyrillic leaves URLs, addresses and foreign-looking words alone). English pages and
# English records show the text as written.
_SHOWN_IN = {("sr-Cyrl", "sr-latn"): "sr-Latn", ("sr-Latn", "sr"): "sr-Cyrl"}


@register.filter
def shown_language(language):
    """The language tag of a record's text as shown to this reader (for ``lang=``)."""
    return _SHOWN_IN.get((language, get_language()), language)


@register.filter
def in_reader_script(text, language):
    """``text``, written in ``language``, in the reader's script."""
    shown = shown_language(language)
    if not text or shown == language:
        return text
    return cyrillic_to_latin(text) if shown == "sr-Latn" else latin_to_cyrillic(text)


@register.simple_tag
def lockout_hours():
    """How long log-in stays locked after repeated failures (``LOGIN_LOCKOUT_HOURS``)."""
    from django.conf import settings

    return settings.AXES_COOLOFF_TIME


@register.simple_tag
def question_text(question):
    """An open question's title, description and ``lang`` for this reader: in their
    language where it is written, Serbian in their script."""
    title, description, language = question.in_language(get_language())
    return {
        "title": in_reader_script(title, language),
        "description": in_reader_script(description, language),
        "lang": shown_language(language),
    }
