"""Send hostile requests to every rule × method of `app.url_map`, as every role, and record what broke.

A request is broken when it answers 5xx (or raises), when an /api/ refusal lacks the JSON error envelope,
when a page's refusal is not a page, or when a JSON member of a type the API document does not allow is
answered with success. Work runs in an order that keeps the world reachable: reads first,
then writes, deletions last.
"""

from __future__ import annotations

import itertools
import re
import traceback
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterator
from urllib.parse import urlsplit

from ..conftest import CSRF_META, Auth
from . import inputs
from .harvest import Harvest, OpenAPI, endpoint_of, example, json_types, places, replaced, type_of
from .world import ROLES, World, tiny_jpeg

ARG = re.compile(r"<(?:([^:<>]+):)?(\w+)>")
HOSTILE_IDS = ("0", "-1", str(2**31), str(2**63), "1" + "0" * 30)
SAFE = ("GET",)
# Form controls a person types into; choices and buttons get only the few values that break text handling.
TYPED = ("text", "textarea", "number", "datetime-local", "date", "email", "password", "search", "hidden")
ORDER = {"GET": 0, "POST": 1, "PUT": 1, "PATCH": 1, "DELETE": 2}
PER_ROUTE = 1  # real id combinations fuzzed per rule, method and role: the one that got furthest
# What send() calls a redirect to "/", the app's "not for you" to a logged-in user (e.g. GET /login), and one
# that ended the session (POST /logout): neither route reads anything worth attacking further as that role.
HOME, LOGGED_OUT = -302, -303


@dataclass
class Broken:
    role: str
    method: str
    url: str
    what: str
    status: int | str
    detail: str = ""
    endpoint: str = ""

    @property
    def field(self) -> str:
        """The parameter or body member that was attacked (`what` reads `name=value`)."""
        return self.what.split("=", 1)[0] if "=" in self.what else ""

    def __str__(self) -> str:
        url = self.url if len(self.url) < 120 else self.url[:117] + "…"
        return f"{self.status} {self.role:9} {self.method:6} {url}  [{self.what}] {self.detail}"


@dataclass
class Sweep:
    app: Any
    world: World
    sent: int = 0
    broken: list[Broken] = field(default_factory=list)
    harvest: Harvest = field(default_factory=Harvest)
    counts: Counter = field(default_factory=Counter)  # requests by (method, endpoint)
    reached: dict[tuple[str, str, str], list[tuple[int, dict[str, str]]]] = field(default_factory=dict)

    def __post_init__(self):
        self.adapter = self.app.url_map.bind("localhost")
        self.sessions: dict[str, Auth] = {}
        for role in ROLES:
            self.sessions[role] = self._login(role)
        with self.app.app_context():
            self.api = OpenAPI(self.sessions["anonymous"].client.get("/api/v1/openapi.json").get_json())
        self.rules = sorted(((r, m) for r in self.app.url_map.iter_rules()
                             for m in sorted(r.methods - {"HEAD", "OPTIONS"})), key=lambda rm: ORDER.get(rm[1], 1))

    # -- sessions ---------------------------------------------------------------------------------

    def _login(self, role: str) -> Auth:
        auth = Auth(self.app.test_client())
        with self.app.app_context():  # see send()
            if role == "anonymous":
                page = auth.client.get("/login").get_data(as_text=True)
                auth.csrf = CSRF_META.search(page).group(1)
            else:
                auth.login(self.world.users[role])
        return auth

    # -- sending ----------------------------------------------------------------------------------

    def send(self, role: str, method: str, path: str, query: str = "", body: bytes | None = None,
             content_type: str | None = None, what: str = "") -> int | None:
        """Send one request and judge the answer; None when it raised."""
        auth = self.sessions[role]
        headers = {"X-CSRFToken": auth.csrf}
        if content_type:
            headers["Content-Type"] = content_type
        url = path + ("?" + query if query else "")
        self.sent += 1
        endpoint = endpoint_of(self.adapter, path, method) or ""
        self.counts[(method, endpoint)] += 1
        broken = len(self.broken)
        try:
            # A fresh app context per request, as in production: the test's own context would share `g` (and
            # with it the logged-in user) between the roles' clients.
            with self.app.app_context():
                response = auth.client.open(path, method=method, query_string=query or None, data=body,
                                            headers=headers)
        except Exception as exc:  # the app raised: the 500 a user would see
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            first_line = str(exc).splitlines()[0][:120] if str(exc) else ""
            where = f"{frame.filename.split('/')[-1]}:{frame.lineno}"
            self.broken.append(Broken(role, method, url, what, "raised",
                                      f"{type(exc).__name__}: {first_line} at {where}", endpoint))
            return None
        status = response.status_code
        self._judge(role, method, path, url, what, response)
        for item in self.broken[broken:]:
            item.endpoint = endpoint
        if role != "anonymous" and status == 302 and urlsplit(response.location).path == "/login":
            self.sessions[role] = self._login(role)  # e.g. POST /logout: carry on logged in
            status = LOGGED_OUT
        if status == 302 and urlsplit(response.location).path == "/":
            status = HOME
        if method == "GET" and status == 200 and response.mimetype == "text/html":
            self.harvest.page(self.adapter, "http://localhost" + url, response.get_data(as_text=True))
        elif status in (301, 302, 303, 307, 308):
            self.harvest.link(self.adapter, response.location)
        return status

    def _judge(self, role, method, path, url, what, response) -> None:
        status = response.status_code
        if status >= 500:
            self.broken.append(Broken(role, method, url, what, status, response.get_data(as_text=True)[:120]))
        elif path.startswith("/api/") and 400 <= status:
            error = (response.get_json(silent=True) or {}).get("error") if response.is_json else None
            if not (isinstance(error, dict) and isinstance(error.get("code"), str)
                    and isinstance(error.get("message"), str)):
                self.broken.append(Broken(role, method, url, what, status, "no JSON error envelope"))
        elif 400 <= status and response.mimetype != "text/html":
            self.broken.append(Broken(role, method, url, what, status, f"a page's refusal as {response.mimetype}"))

    # -- the phases -------------------------------------------------------------------------------

    def run(self) -> None:
        for rule, method in self.rules:
            if method == "DELETE":
                continue
            self.probe(rule, method)
            if method == "GET":
                continue
            self.fuzz_bodies(rule, method)
        for rule, method in self.rules:
            if method == "GET":
                self.fuzz_queries(rule)
        for rule, method in self.rules:
            if method == "DELETE":
                self.probe(rule, method)
                self.fuzz_bodies(rule, method)
        for rule, method in self.rules:
            self.fuzz_path(rule, method)

    def probe(self, rule, method: str) -> None:
        """Reach the rule with every combination of real ids, as every role; note who gets through."""
        combos = list(self._real_args(rule))
        for role in ROLES:
            passed = []
            for args in combos:
                path = self.path(rule, args)
                body, content_type = self.plausible(rule, method, role, path)
                status = self.send(role, method, path, body=body, content_type=content_type, what="real ids")
                if status is not None and status not in (401, 404, HOME, LOGGED_OUT):
                    passed.append((status, args))
            # Fuzz where the route got furthest: success before a redirect before a refusal, then the richest form
            # (the visit with photos has caption fields the scheduled one lacks).
            passed.sort(key=lambda sa: (sa[0] // 100 if sa[0] // 100 != 3 else 2.5,
                                        -len(self._form_at(method, self.path(rule, sa[1])))))
            self.reached[(rule.rule, method, role)] = passed[:PER_ROUTE]

    def plausible(self, rule, method: str, role: str, path: str) -> tuple[bytes | None, str | None]:
        """A body that gets past the shape checks, so only who and which id decide whether the route is reached."""
        if method in SAFE:
            return None, None
        described = self.api.body(rule.rule, method)
        if described and described[0] == "application/json":
            return inputs.dumps(example(self.api, described[1], "", self._seeds())), "application/json"
        form = self.harvest.forms.get((method, path))
        fields = [(n, v) for n, k, v in form.fields if k != "submit"] if form else []
        return encode_form([("csrf_token", self.sessions[role].csrf), *fields],
                           multipart=bool(form) and form.enctype == "multipart/form-data")

    def _form_at(self, method: str, path: str) -> list:
        form = self.harvest.forms.get((method, path))
        return form.fields if form else []

    def _targets(self, rule, method: str) -> Iterator[tuple[str, dict[str, str]]]:
        for role in ROLES:
            for _status, args in self.reached.get((rule.rule, method, role), []):
                yield role, args

    def fuzz_queries(self, rule) -> None:
        """Every query parameter the app's pages, redirects or API document use, with every hostile text."""
        seen = self.harvest.queries.get(rule.endpoint, [])
        names = list(dict.fromkeys([*(n for q in seen for n in q), *self.api.query_names(rule.rule, "GET")]))
        if not names:
            return
        richest = max(seen, key=len, default={})
        first_role = True
        for role, args in self._targets(rule, "GET"):
            path = self.path(rule, args)
            bases = (richest, {}) if first_role else (richest,)
            values = inputs.QUERY if first_role else inputs.QUERY[:3]
            for base, name, value in itertools.product(bases, names, values):
                query = inputs.urlencode(list({**base, name: value}.items()))
                self.send(role, "GET", path, query, what=f"{name}={inputs.short(value)}")
            first_role = False

    def fuzz_bodies(self, rule, method: str) -> None:
        """Wrong JSON shapes everywhere; each field of the page's form or the API's body, attacked one at a time."""
        for role, args in self._targets(rule, method):
            path = self.path(rule, args)
            for name, body in inputs.BODIES.items():
                self.send(role, method, path, body=body, content_type="application/json", what=f"body {name}")
            described = self.api.body(rule.rule, method)
            form = self.harvest.forms.get((method, path))
            if described and described[0] == "application/json":
                self._fuzz_json(role, method, path, described[1])
            elif described and described[0] == "multipart/form-data":
                fields = example(self.api, described[1], "", self._seeds())
                self._fuzz_form(role, method, path, [(n, "text", v) for n, v in fields.items()], multipart=True)
            elif form is not None:
                self._fuzz_form(role, method, path, form.fields, multipart=form.enctype == "multipart/form-data")

    def _seeds(self) -> dict[str, Any]:
        w = self.world
        return {"standard": w.standards[0], "value": "yes", "visited_at": "2026-03-03T12:00:00",
                "touchpoint": w.staff_touchpoint, "email": w.users["admin"].email,
                "password": "correct horse battery", "client_id": "", "file": tiny_jpeg()}

    def _fuzz_json(self, role: str, method: str, path: str, schema: dict[str, Any]) -> None:
        base = example(self.api, schema, "", self._seeds())
        for place in places(base):
            allowed = json_types(self.api, schema, place)
            for value in inputs.JSON:
                status = self._send_json(role, method, path, replaced(base, place, value), place, value)
                # {"staff": "abc"} answered 200 and ignored: the client believes it was saved. A null may clear an
                # optional member, which the hand-written document does not say yet.
                if status is not None and status < 400 and value is not None and allowed is not None \
                        and type_of(value) not in allowed:
                    self.broken.append(Broken(role, method, path, f"{'.'.join(map(str, place))}={inputs.short(value)}",
                                              status, f"a {type_of(value)} accepted where the document says "
                                                      f"{'/'.join(sorted(allowed))}", self.endpoint(path, method)))
            if place[-1] == "value" and "standard" in at(base, place[:-1]):
                for standard, value in itertools.product(self.world.standards, inputs.VALUES):
                    body = replaced(replaced(base, place, value), place[:-1] + ("standard",), standard)
                    self._send_json(role, method, path, body, place, value, f"({standard})")
        if isinstance(base, dict):
            self.send(role, method, path, body=inputs.dumps({**base, "unknown": "abc"}),
                      content_type="application/json", what="unknown member")

    def _send_json(self, role, method, path, body, place, value, note: str = "") -> int | None:
        return self.send(role, method, path, body=inputs.dumps(body), content_type="application/json",
                  what=f"{'.'.join(map(str, place))}{note}={inputs.short(value)}")

    def _fuzz_form(self, role: str, method: str, path: str, fields: list[tuple[str, str, str]],
                   multipart: bool) -> None:
        seeds = self._seeds()
        fields = [f for f in fields if f[0] != "csrf_token"]
        # Buttons are left out of the base, so attacking one field does not also approve or submit.
        base = [(n, seeds.get(n, v) if not v else v) for n, k, v in fields]
        csrf = self.sessions[role].csrf
        attacked: set[tuple[str, str]] = set()
        for i, (name, kind, _v) in enumerate(fields):
            if isinstance(base[i][1], bytes):
                continue  # the file itself is the pipeline's to judge (tests/photos)
            others = [pair for j, pair in enumerate(base) if j != i and fields[j][1] != "submit"]
            # `c-greeted`, `c-clean`, …: the same code reads every field of a family, so one gets every value.
            family = (name.split("-", 1)[0], kind)
            full = kind in TYPED and family not in attacked
            attacked.add(family)
            for value in inputs.FORM if full else inputs.FORM[:3]:
                pairs = [("csrf_token", csrf), *others, (name, value)]
                body, content_type = encode_form(pairs, multipart)
                self.send(role, method, path, body=body, content_type=content_type,
                          what=f"{name}={inputs.short(value)}")

    def fuzz_path(self, rule, method: str) -> None:
        """Ids no row can have, and hostile text in string segments; as anonymous and whoever got through."""
        roles = ["anonymous", *dict.fromkeys(r for r, _a in self._targets(rule, method))]
        for arg, converter in ((m.group(2), m.group(1) or "default") for m in ARG.finditer(rule.rule)):
            values = HOSTILE_IDS if converter == "int" else inputs.TEXT[:12]
            combos = list(self._real_args(rule))[:1] or [{}]
            for role, value in itertools.product(roles, values):
                args = {**combos[0], arg: inputs.wire(value) if converter != "int" else value}
                self.send(role, method, self.path(rule, args, encoded=True), body=b"" if method not in SAFE else None,
                          what=f"{arg}={inputs.short(value)}")

    def endpoint(self, path: str, method: str) -> str:
        return endpoint_of(self.adapter, path, method) or ""

    # -- paths ------------------------------------------------------------------------------------

    def _real_args(self, rule) -> Iterator[dict[str, str]]:
        names = [m.group(2) for m in ARG.finditer(rule.rule)]
        missing = [n for n in names if n not in self.world.ids]
        assert not missing, f"{rule.rule}: the hostile world has no values for {missing}; add them to world.py"
        for values in itertools.product(*(self.world.ids[n] for n in names)):
            yield dict(zip(names, map(str, values)))

    @staticmethod
    def path(rule, args: dict[str, str], encoded: bool = False) -> str:
        return ARG.sub(lambda m: args[m.group(2)] if encoded else inputs.wire(args[m.group(2)]), rule.rule)


def at(value: Any, path: tuple) -> Any:
    """The part of a JSON value at a path of keys and indexes."""
    for part in path:
        value = value[part]
    return value


def encode_form(pairs: list[tuple[str, Any]], multipart: bool) -> tuple[bytes, str]:
    """A urlencoded or multipart body whose text is written byte for byte, lone surrogates included."""
    if not multipart:
        return inputs.urlencode([(k, v) for k, v in pairs]).encode("ascii"), "application/x-www-form-urlencoded"
    boundary = "hostileboundary7MA4YWxkTrZu0gW"
    out = bytearray()
    for name, value in pairs:
        out += f"--{boundary}\r\n".encode()
        if isinstance(value, bytes):
            out += (f'Content-Disposition: form-data; name="{name}"; filename="p.jpg"\r\n'
                    'Content-Type: image/jpeg\r\n\r\n').encode()
            out += value
        else:
            out += f'Content-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            out += value.encode("utf-8", "surrogatepass")
        out += b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return bytes(out), f"multipart/form-data; boundary={boundary}"
