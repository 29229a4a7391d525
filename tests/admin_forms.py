"""Admin forms as a browser fills them: read the values back from the page, then post."""

from html.parser import HTMLParser


class _FormValues(HTMLParser):
    """What a browser would submit from the admin's form, as ``{name: [values]}``.

    Inline "empty form" templates (``__prefix__``) and submit buttons are left out.
    """

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.values = {}
        self._select = None  # (name, [selected values])
        self._textarea = None  # (name, [chunks])

    def _add(self, name, value):
        if name and "__prefix__" not in name:
            self.values.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self._add(attrs.get("name"), attrs.get("value") or ("on" if kind == "checkbox" else ""))
        elif tag == "select":
            self._select = (attrs.get("name"), [])
        elif tag == "option" and self._select is not None and "selected" in attrs:
            self._select[1].append(attrs.get("value", ""))
        elif tag == "textarea":
            self._textarea = (attrs.get("name"), [])

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None:
            name, selected = self._select
            for value in selected:
                self._add(name, value)
            if name and not selected and "__prefix__" not in name:
                self.values.setdefault(name, [])
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, chunks = self._textarea
            text = "".join(chunks)
            # Browsers drop the newline that follows <textarea>; Django renders one.
            self._add(name, text[1:] if text.startswith("\n") else text)
            self._textarea = None


def form_values(client, url):
    """GET an admin form page and return the values a browser would post back."""
    response = client.get(url)
    assert response.status_code == 200, url
    parser = _FormValues()
    parser.feed(response.content.decode())
    return {name: vals for name, vals in parser.values.items() if name != "_selected_action"}


def add_inline_row(data, prefix, **fields):
    """Append one new row to the inline formset ``prefix``, as the "Add another" link does."""
    index = int(data[f"{prefix}-TOTAL_FORMS"][0])
    data[f"{prefix}-TOTAL_FORMS"] = [str(index + 1)]
    for name, value in fields.items():
        data[f"{prefix}-{index}-{name}"] = [str(value)]
    return data
