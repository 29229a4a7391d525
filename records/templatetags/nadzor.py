from django import template
from django.conf import settings
from django.utils.translation import get_language

from records.core import transliteration
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
    """``text``, written in ``language``, in the reader's script."""
    return transliteration.in_reader_script(text, language, get_language())


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
