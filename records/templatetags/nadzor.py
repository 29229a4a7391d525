from django import template

from records.markdown import render_markdown

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
