from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import get_language

from records.core import placeholders, transliteration
from records.core.markdown import render_markdown

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


@register.filter
def shown_language(language):
    """The language tag of a record's text as shown to this reader (for ``lang=``)."""
    return transliteration.shown_language(language, get_language())


@register.filter
def in_reader_script(text, language):
    """``text``, written in ``language``, in the reader's script, its placeholders (what
    scrubbing took out) in the reader's language."""
    reader = get_language()
    return placeholders.render(
        text, lambda piece: transliteration.in_reader_script(piece, language, reader)
    )


@register.filter(name="placeholders")
def show_placeholders(text):
    """``text`` with its placeholders in the reader's language."""
    return placeholders.render(text)


@register.simple_tag
def lockout_hours():
    """How long log-in stays locked after repeated failures (``LOGIN_LOCKOUT_HOURS``)."""
    return settings.AXES_COOLOFF_TIME


@register.simple_tag
def question_note(link):
    """The editor's note on a question's record for this reader, and its ``lang``."""
    note, language = link.note_in(get_language())
    return {"text": in_reader_script(note, language), "lang": shown_language(language)}


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


@register.filter
def shown(named):
    """An actor's or tag's name for this reader. On a Serbian page an English name (one
    with no Serbian version) is marked ``lang="en"``; a Serbian name is in the page's
    script, and on English pages every name is in Latin script."""
    if named is None:
        return ""
    name, language = named.name_in(get_language())
    if language == "en" and not get_language().startswith("en"):
        return format_html('<span lang="en">{}</span>', name)
    return name


@register.simple_tag(takes_context=True)
def csv_url(context, **fixed):
    """The CSV export of the list on this page: its filters (``fixed`` ones, e.g. the
    actor of an actor's page, added), without its page number or feed format."""
    query = context["request"].GET.copy()
    for key in ("page", "format"):
        query.pop(key, None)
    for key, value in fixed.items():
        query[key] = value
    encoded = query.urlencode()
    return reverse("records:records-csv") + (f"?{encoded}" if encoded else "")


@register.simple_tag
def letter_text(text, request):
    """A letter of ``request``'s correspondence for this reader, and its ``lang``: its
    placeholders in the reader's language, Serbian in the reader's script. A letter is in
    its request's language, or in Serbian Cyrillic where it is written so."""
    language = request.language
    if transliteration.has_cyrillic(text or ""):
        language = "sr-Cyrl"
    return {"text": in_reader_script(text, language), "lang": shown_language(language)}


@register.simple_tag
def link_note(link):
    """A link's note for this reader, and its ``lang``."""
    text, language = link.note_in(get_language())
    return {"text": text, "lang": language}
