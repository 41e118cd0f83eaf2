"""Every URL pattern in the URLconf, with sample arguments, for sweeps over the whole app."""

import re
import uuid
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import (
    IntConverter,
    PathConverter,
    SlugConverter,
    StringConverter,
    UUIDConverter,
)
from django.urls.resolvers import RegexPattern, RoutePattern

SAMPLE_UUID = uuid.UUID("00000000-0000-4000-8000-000000000000")
_SAMPLES = {
    UUIDConverter: str(SAMPLE_UUID),
    IntConverter: "1",
    SlugConverter: "sample",
    StringConverter: "sample",
    PathConverter: "sample",
}
_NAMED_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?P<body>[^()]*)\)")


@dataclass(frozen=True)
class SweptURL:
    url: str
    name: str  # namespaced URL name, or the route when it has none


def _sample(converter) -> str:
    # A project converter says what a valid value looks like with a `sample` attribute.
    if hasattr(converter, "sample"):
        return converter.sample
    for kind, value in _SAMPLES.items():
        if isinstance(converter, kind):
            return value
    raise AssertionError(f"No sample value for URL converter {type(converter).__name__}")


def _group_sample(match) -> str:
    body = match.group("body")
    return "sample" if body in {".*", ".+", "[^/]+", "[^/]*"} else body.split("|")[0]


def _route_part(pattern) -> str:
    if isinstance(pattern, RoutePattern):
        text = str(pattern)
        for name, converter in pattern.converters.items():
            text = re.sub(rf"<(?:\w+:)?{name}>", _sample(converter), text)
        return text
    if isinstance(pattern, RegexPattern):
        text = pattern.regex.pattern.lstrip("^").rstrip("$").replace("\\Z", "")
        text = _NAMED_GROUP.sub(_group_sample, text)
        if re.search(r"[()\[\]*+?\\]", text):
            raise AssertionError(f"Cannot build a sample URL for the regex {pattern.regex.pattern}")
        return text
    raise AssertionError(f"Unknown URL pattern type {type(pattern).__name__}")


def all_urls() -> list[SweptURL]:
    found: list[SweptURL] = []

    def walk(patterns, prefix: str, namespace: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, prefix + _route_part(entry.pattern), inner)
            elif isinstance(entry, URLPattern):
                name = f"{namespace}{entry.name}" if entry.name else prefix + str(entry.pattern)
                found.append(SweptURL("/" + prefix + _route_part(entry.pattern), name))

    walk(get_resolver().url_patterns, "", "")
    return found


def count_patterns() -> int:
    def count(patterns) -> int:
        total = 0
        for entry in patterns:
            total += count(entry.url_patterns) if isinstance(entry, URLResolver) else 1
        return total

    return count(get_resolver().url_patterns)
