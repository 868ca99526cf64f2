"""What the app itself says it takes: forms and links on its pages, request bodies and parameters in openapi.json.

The sweep fuzzes these, so a field added to a page or the API document is attacked without editing the test.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any, Iterator
from urllib.parse import parse_qsl, urljoin, urlsplit


@dataclass
class Form:
    """One <form> as a browser would send it: fields in order, name → (input type, value)."""

    method: str
    action: str  # path, no query
    enctype: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (name, type, value)


class PageParser(HTMLParser):
    """Collect links and forms of one HTML page."""

    def __init__(self, url: str):
        super().__init__(convert_charrefs=True)
        self.url = url
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(urljoin(self.url, a["href"]))
        elif tag == "form":
            action = urljoin(self.url, a.get("action") or self.url)
            self._form = Form(a.get("method", "get").upper(), action,
                              a.get("enctype", "application/x-www-form-urlencoded"))
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "button") and a.get("name"):
            kind = a.get("type", "text" if tag == "input" else "submit")
            if kind in ("radio", "checkbox") and any(n == a["name"] for n, _t, _v in self._form.fields):
                return  # one value per name is enough to reach the handler
            self._form.fields.append((a["name"], kind, a.get("value", "")))
        elif self._form is not None and tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self._form.fields.append((a["name"], "textarea", ""))
        elif self._form is not None and tag == "select" and a.get("name"):
            self._select = a["name"]
            self._form.fields.append((a["name"], "select", ""))
        elif tag == "option" and self._select and self._form is not None:
            name, kind, value = self._form.fields[-1]
            if not value:
                self._form.fields[-1] = (name, kind, a.get("value", ""))

    def handle_data(self, data: str) -> None:
        if self._textarea and self._form is not None:
            name, kind, value = self._form.fields[-1]
            self._form.fields[-1] = (name, kind, value + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


@dataclass
class Harvest:
    """Forms by (method, action path) and query strings seen per endpoint."""

    forms: dict[tuple[str, str], Form] = field(default_factory=dict)
    queries: dict[str, list[dict[str, str]]] = field(default_factory=lambda: defaultdict(list))

    def page(self, adapter, url: str, html: str) -> None:
        parser = PageParser(url)
        parser.feed(html)
        for link in parser.links:
            self.link(adapter, link)
        for form in parser.forms:
            path = urlsplit(form.action).path
            if form.method == "GET":
                self._query(adapter, path, {n: v for n, _t, v in form.fields if _t != "submit"})
            else:
                self.forms.setdefault((form.method, path), Form(form.method, path, form.enctype, form.fields))

    def link(self, adapter, url: str) -> None:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost") or not parts.query:
            return
        self._query(adapter, parts.path, dict(parse_qsl(parts.query, keep_blank_values=True)))

    def _query(self, adapter, path: str, args: dict[str, str]) -> None:
        endpoint = endpoint_of(adapter, path, "GET")
        if endpoint and args and args not in self.queries[endpoint]:
            self.queries[endpoint].append(args)


def endpoint_of(adapter, path: str, method: str) -> str | None:
    try:
        return adapter.match(path, method=method)[0]
    except Exception:  # any routing refusal: not an endpoint we fuzz through this link
        return None


def openapi_path(rule: str) -> str:
    """`/api/v1/visits/<int:visit_id>` as OpenAPI writes it: `/api/v1/visits/{visit_id}`."""
    import re

    return re.sub(r"<(?:[^:<>]+:)?(\w+)>", r"{\1}", rule)


class OpenAPI:
    """Request bodies and query parameters of /api/v1 as the published document describes them."""

    def __init__(self, document: dict[str, Any], prefix: str = "/api/v1"):
        self.doc = document
        self.paths = {prefix + p if not p.startswith(prefix) else p: ops for p, ops in document["paths"].items()}

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            node: Any = self.doc
            for part in schema["$ref"].lstrip("#/").split("/"):
                node = node[part]
            schema = node
        return schema

    def operation(self, rule: str, method: str) -> dict[str, Any]:
        return self.paths.get(openapi_path(rule), {}).get(method.lower(), {})

    def query_names(self, rule: str, method: str) -> list[str]:
        op = self.operation(rule, method)
        params = op.get("parameters", []) + self.paths.get(openapi_path(rule), {}).get("parameters", [])
        return [p["name"] for p in map(self.resolve, params) if p.get("in") == "query"]

    def body(self, rule: str, method: str) -> tuple[str, dict[str, Any]] | None:
        """The first described request body: its media type and schema."""
        content = self.operation(rule, method).get("requestBody", {}).get("content", {})
        for media, spec in content.items():
            return media, self.resolve(spec.get("schema", {}))
        return None


def example(api: OpenAPI, schema: dict[str, Any], name: str, seeds: dict[str, Any]) -> Any:
    """A plausible value for a schema: seeds by property name first, so bodies name real standards."""
    schema = api.resolve(schema)
    if name in seeds:
        return seeds[name]
    if "enum" in schema:
        return schema["enum"][0]
    for key in ("oneOf", "anyOf"):
        if key in schema:
            return example(api, schema[key][0], name, seeds)
    kind = schema.get("type", "object")
    kind = next((k for k in kind if k != "null"), "string") if isinstance(kind, list) else kind
    if kind == "object":
        return {prop: example(api, sub, prop, seeds) for prop, sub in schema.get("properties", {}).items()}
    if kind == "array":
        return [example(api, schema.get("items", {}), name, seeds)]
    if schema.get("format") == "date-time":
        return "2026-03-03T12:00:00"
    if schema.get("format") == "date":
        return "2026-03-03"
    return {"integer": 5, "number": 1, "boolean": True}.get(kind, "x")


def places(value: Any, path: tuple = ()) -> Iterator[tuple]:
    """Every place in a JSON value that a hostile value can take: objects' members and list items, at any depth."""
    if isinstance(value, dict):
        for key, sub in value.items():
            yield path + (key,)
            yield from places(sub, path + (key,))
    elif isinstance(value, list):
        for i, sub in enumerate(value):
            yield path + (i,)
            yield from places(sub, path + (i,))


def replaced(value: Any, path: tuple, new: Any) -> Any:
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {**value, head: replaced(value[head], rest, new)}
    copy = list(value)
    copy[head] = replaced(copy[head], rest, new)
    return copy


def json_types(api: OpenAPI, schema: dict[str, Any], path: tuple) -> set[str] | None:
    """The JSON types the document allows at a path inside a body, or None where it does not say."""
    schema = api.resolve(schema)
    if path:
        head, rest = path[0], path[1:]
        sub = schema.get("items") if isinstance(head, int) else schema.get("properties", {}).get(head)
        return json_types(api, sub, rest) if sub is not None else None
    for key in ("oneOf", "anyOf"):
        if key in schema:
            parts = [json_types(api, sub, ()) for sub in schema[key]]
            return None if None in parts else set().union(*parts)
    if "enum" in schema:
        return {type_of(v) for v in schema["enum"]}
    kind = schema.get("type")
    if kind is None:
        return None
    kinds = set(kind) if isinstance(kind, list) else {kind}
    return kinds | {"integer"} if "number" in kinds else kinds


def type_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float) or type(value).__name__ == "Raw":
        return "number"
    return {str: "string", list: "array", dict: "object"}[type(value)]
