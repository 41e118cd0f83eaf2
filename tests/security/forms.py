"""Finding the POST forms a signed-in user is offered, for the fuzz harness."""

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class FoundForm:
    action: str
    fields: dict[str, list[str]] = field(default_factory=dict)  # name -> known good values


class _FormParser(HTMLParser):
    def __init__(self, page_url: str):
        super().__init__()
        self.page_url = page_url
        self.forms: list[FoundForm] = []
        self._current: FoundForm | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and (attributes.get("method") or "get").lower() == "post":
            self._current = FoundForm(action=attributes.get("action") or self.page_url)
        if self._current is None:
            return
        name = attributes.get("name")
        if tag in {"input", "textarea"} and name and name != "csrfmiddlewaretoken":
            if attributes.get("type") not in {"submit", "button", "image", "file"}:
                self._current.fields.setdefault(name, []).append(attributes.get("value") or "")
        elif tag == "select" and name:
            self._select = name
            self._current.fields.setdefault(name, [])
        elif tag == "option" and self._select:
            self._current.fields[self._select].append(attributes.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "form" and self._current is not None:
            self.forms.append(self._current)
            self._current = None


def post_forms(html: str, page_url: str) -> list[FoundForm]:
    parser = _FormParser(page_url)
    parser.feed(html)
    return parser.forms
