"""The one pagination helper for list pages."""

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest


def paginate(request: HttpRequest, rows: QuerySet, per_page: int) -> tuple[Page, str]:
    """The page `?page=` asks for (the last one past the end, the first for nonsense), and
    the rest of the query string (the filters) for the page links to carry on."""
    page = Paginator(rows, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()
