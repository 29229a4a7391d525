"""Markdown to safe HTML.

markdown-it-py runs with raw HTML switched off, so any HTML an editor or an import
writes is shown as text; nh3 then cleans the result against an allow-list anyway, as a
second line of defence, and marks every link ``nofollow noopener``.
"""

import nh3
from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt

_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_MARKDOWN.enable("table").enable("strikethrough")

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table", "tbody", "td",
    "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}}


def sanitise_html(html):
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener",
    )


def markdown_to_text(text):
    """The words a reader sees in Markdown ``text``, without markup or link addresses.

    Blocks are separated by blank lines, so a snippet never runs two paragraphs together.
    """
    blocks, current = [], []
    for token in _MARKDOWN.parse(text or ""):
        if token.type == "inline":
            current.extend(
                " " if child.type in ("softbreak", "hardbreak") else child.content
                for child in token.children or ()
                if child.type in ("text", "code_inline", "softbreak", "hardbreak")
            )
            blocks.append("".join(current).strip())
            current = []
        elif token.type in ("code_block", "fence"):
            blocks.append(token.content.strip())
    return "\n\n".join(block for block in blocks if block)


def render_markdown(text):
    """Markdown ``text`` as HTML that is safe to put on a page."""
    if not text:
        return mark_safe("")
    # h1 is the page's own title: a "# Heading" in a body becomes an h2.
    html = _MARKDOWN.render(text).replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    return mark_safe(sanitise_html(html))  # noqa: S308 -- cleaned by nh3 just above
