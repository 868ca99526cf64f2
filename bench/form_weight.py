"""Weigh the visit form of the largest showcase concept as a phone downloads it: HTML + CSS + JS, the manifest and
the service worker (its entry, its code and the Workbox files it loads), compressed.

Run: ``python bench/form_weight.py [--concept hotel-stay] [--encoding gzip] [--goal-kb 60]``

Builds the app on a temporary SQLite database, imports the concept, schedules and starts a visit, logs in
through the real login form with the test client, fetches the form page and everything it loads (stylesheets,
scripts and the ES modules they import, url() in CSS, the manifest, /sw.js and the scripts it imports) with
``Accept-Encoding``, and prints each transferred size; the files the worker precaches for other pages once are
listed apart, not counted. Exits 1 when a resource lives on another host (the app must work on a closed network) or when the
total is over the goal.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from datetime import date
from pathlib import Path
from urllib.parse import urljoin, urlsplit

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

PASSWORD = "bench-password-1"
HTML_REFS = re.compile(r'<(?:link[^>]+href|script[^>]+src|img[^>]+src)="([^"]+)"')
JS_IMPORTS = re.compile(r'^\s*(?:import\s+(?:[\w*{}\s,]+\s+from\s+)?|export\s+[\w*{}\s,]+\s+from\s+)["\']([^"\']+)["\']'
                        r'|\bimport\(\s*["\']([^"\']+)["\']\s*\)', re.M)
CSS_URLS = re.compile(r'url\(\s*["\']?([^"\')]+)["\']?\s*\)')
SW_CONFIG = re.compile(r"^self\.AUDITAPP = (\{.*\});$", re.M)
IMPORT_SCRIPTS = re.compile(r'importScripts\(("[^"]+")\)')


def build_world(app, concept_key: str) -> tuple[str, int]:
    """Import the concept and make an auditor with a started visit; return (email, visit id)."""
    from werkzeug.security import generate_password_hash

    from auditapp.accounts.models import User
    from auditapp.branches.models import Branch
    from auditapp.concepts.loader import load_file
    from auditapp.concepts.services import import_concept
    from auditapp.extensions import db
    from auditapp.visits import services
    from auditapp.visits.commands import ScheduleVisit

    db.create_all()
    import_concept(load_file(REPO / "service_concepts" / f"{concept_key}.yaml"))
    email = "bench.auditor@example.test"
    db.session.add(User(email=email, name="Bench Auditor", role="auditor",
                        password_hash=generate_password_hash(PASSWORD)))
    db.session.add(Branch(code="BENCH", name="Harbour Hotel Leiden", city="Leiden", address="Kade 12"))
    db.session.commit()
    visit = services.schedule_visit(ScheduleVisit(concept_key, "BENCH", email, "visit", date.today()))
    services.start_visit(visit, visit.auditor)
    return email, visit.id


def bench_app(folder: str):
    """The app on a SQLite database in `folder`, for one bench run."""
    from auditapp import create_app

    return create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite",
                       "UPLOAD_DIR": f"{folder}/uploads"})


def logged_in_client(app, email: str):
    """A test client logged in through the real login form, and the session's CSRF token."""
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    response = client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
    if response.status_code != 302:
        raise SystemExit("login failed")
    return client, token


def references(kind: str, url: str, body: str) -> list[str]:
    """The URLs a browser would fetch next because of this resource."""
    if kind == "html":
        found = HTML_REFS.findall(body)
    elif kind == "js":
        found = [a or b for a, b in JS_IMPORTS.findall(body)]
    elif kind == "css":
        found = CSS_URLS.findall(body)
    elif kind == "sw":  # the worker's entry: the scripts it imports now (the precache list is counted apart)
        found = json.loads(SW_CONFIG.search(body).group(1))["workbox"] + [json.loads(u) for u in IMPORT_SCRIPTS.findall(body)]
    else:
        found = []
    return [urljoin(url, ref) for ref in found if not ref.startswith(("data:", "#", "blob:"))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concept", default="hotel-stay")
    parser.add_argument("--encoding", default="gzip", help="the Accept-Encoding to send (gzip, br, zstd)")
    parser.add_argument("--goal-kb", type=float, default=60.0)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        app = bench_app(tmp)
        with app.app_context():
            email, visit_id = build_world(app, args.concept)
            client, _token = logged_in_client(app, email)

            base = "http://localhost"
            start = f"{base}/visits/{visit_id}/form"
            queue, seen, rows, foreign = [start, f"{base}/sw.js"], set(), [], []
            while queue:
                url = queue.pop(0)
                if url in seen:
                    continue
                seen.add(url)
                parts = urlsplit(url)
                if f"{parts.scheme}://{parts.netloc}" != base:
                    foreign.append(url)
                    continue
                path = parts.path + (f"?{parts.query}" if parts.query else "")
                response = client.get(path, headers={"Accept-Encoding": args.encoding})
                if response.status_code != 200:
                    print(f"{path}: HTTP {response.status_code}", file=sys.stderr)
                    return 1
                raw = response.get_data()
                encoding = response.headers.get("Content-Encoding", "identity")
                body = _decode(raw, encoding)
                kind = {"text/html": "html", "text/css": "css", "application/manifest+json": "manif"}.get(
                    response.mimetype, "js" if "javascript" in response.mimetype else "other")
                if path == "/sw.js":
                    kind = "sw"
                    precached = json.loads(SW_CONFIG.search(_decode(raw, encoding).decode()).group(1))["assets"]
                rows.append((path, kind, len(body), len(raw), encoding))
                queue.extend(references(kind, url, body.decode("utf-8", "replace")))

    width = max(len(r[0]) for r in rows)
    print(f"Form page of '{args.concept}' as a phone fetches it (Accept-Encoding: {args.encoding})\n")
    print(f"{'resource':<{width}}  {'kind':<5} {'raw':>9} {'sent':>9}  encoding")
    for path, kind, size, sent, encoding in rows:
        print(f"{path:<{width}}  {kind:<5} {size:>9,} {sent:>9,}  {encoding}")
    counted = [r for r in rows if r[1] in ("html", "css", "js", "manif", "sw")]  # photos are not the page's weight
    fetched = {r[0] for r in rows}
    once = [path for path in precached if path not in fetched]
    print(f"\nfetched once more by the service worker for the other pages: {len(once)} files, not counted")
    total = sum(r[3] for r in counted)
    raw_total = sum(r[2] for r in counted)
    goal = args.goal_kb * 1024
    print(f"\n{'total':<{width}}  {'':<5} {raw_total:>9,} {total:>9,}")
    print(f"goal: <= {args.goal_kb:g} KB compressed -> {total / 1024:.1f} KB "
          f"({total / goal:.0%} of the budget) {'OK' if total <= goal else 'OVER'}")
    if foreign:
        print("\nFAIL: resources on another host: " + ", ".join(foreign))
        return 1
    print("no request to another host")
    return 0 if total <= goal else 1


def _decode(raw: bytes, encoding: str) -> bytes:
    if encoding == "gzip":
        import gzip

        return gzip.decompress(raw)
    if encoding == "br":
        import brotli

        return brotli.decompress(raw)
    if encoding == "zstd":
        from compression import zstd  # type: ignore[import-not-found]

        return zstd.decompress(raw)
    if encoding == "deflate":
        import zlib

        return zlib.decompress(raw)
    return raw


if __name__ == "__main__":
    sys.exit(main())
