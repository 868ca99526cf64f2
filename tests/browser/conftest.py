"""A live app on localhost and Debian's Chromium on a phone viewport, driven by Playwright."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect
from werkzeug.serving import make_server

from auditapp.extensions import db
from auditapp.visits.models import Answer

CHROMIUM = Path("/usr/bin/chromium")
# Without these, Chromium keeps trying to reach Google's hosts, which a closed network refuses.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]

pytestmark = pytest.mark.browser


@pytest.fixture
def live_app(make_app, tmp_path):
    """The app on SQLite in a server thread; the test seeds data through the same app context."""
    app = make_app(f"sqlite:///{tmp_path / 'live.sqlite'}")
    with app.app_context():
        db.create_all()
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        app.config["LIVE_URL"] = f"http://127.0.0.1:{server.server_port}"
        yield app
        server.shutdown()
        thread.join(5)
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def live_url(live_app) -> str:
    return live_app.config["LIVE_URL"]


@pytest.fixture(scope="session")
def playwright_instance():
    if not CHROMIUM.exists():
        pytest.fail("/usr/bin/chromium is missing: `make test` installs Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_instance):
    browser = playwright_instance.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def phone(browser, playwright_instance, live_url):
    """A fresh Pixel 7 context (touch, 412 px wide) whose requests may only go to the live app.

    Without the service worker: these tests are about the pages; test_offline.py runs it, against gunicorn."""
    device = dict(playwright_instance.devices["Pixel 7"])
    context = browser.new_context(**device, base_url=live_url, service_workers="block")
    foreign: list[str] = []

    def guard(route):
        if route.request.url.startswith(live_url) or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.foreign_requests = foreign
    refused: list[str] = []
    page.on("console", lambda msg: refused.append(msg.text) if "Content Security Policy" in msg.text else None)
    yield page
    context.close()
    assert not foreign, f"the page tried to reach other hosts: {foreign}"
    assert not refused, f"the Content-Security-Policy blocked part of a page: {refused}"


def login(page, user, password: str | None = None) -> None:
    """Log in through the real form."""
    from ..factories import PASSWORD

    page.goto("/login")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", password or PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def log_out(page) -> None:
    """Log out through the menu; the page first checks the phone for unsent work, so wait for the login page."""
    page.click("button:has-text('Log out')")
    page.wait_for_url(re.compile(r"/login"))


def stored(visit_id: int) -> dict:
    """The answers the server holds for a visit, read afresh."""
    db.session.expire_all()
    return {a.standard_key: a.value for a in db.session.scalars(sa.select(Answer).where(Answer.visit_id == visit_id))}


def std(page, key):
    return page.locator(f"#st-{key}")


def choose(page, key, label):
    """Tap a segment, scale button or option card by its visible label."""
    std(page, key).locator("label", has_text=re.compile(rf"^\s*{re.escape(label)}\s*$")).click()


# The app's own modules, as the page loaded them (same URL, so the same module instances).
MODULE = "(name) => import([...document.scripts].find((s) => s.type === 'module').src.replace(/js\\/[^/]+$/, 'js/' + name))"


def eventually(page, condition, seconds: float = 10, failure=None) -> None:
    """Wait until `condition()` holds, letting the page's events (dialogs, routes) run meanwhile."""
    for _ in range(int(seconds * 10)):
        if condition():
            return
        page.wait_for_timeout(100)
    raise AssertionError(failure() if failure else f"never held within {seconds} s")


def wait_saved(page, synced: str = "Synced"):
    """Wait until nothing waits on the phone and the form says so (the text alone may be from before a change)."""
    check = f"""async (synced) => {{
      const store = await ({MODULE})("store.js");
      return (await store.waiting()) === 0 && document.getElementById("save-status").textContent === synced;
    }}"""
    # evaluate() awaits the promise; wait_for_function would take it as truthy
    eventually(page, lambda: page.evaluate(check, synced),
               failure=lambda: f"not synced: {page.locator('#save-status').text_content()!r}")


READ_OUTBOX = f"""async (visit) => {{
  const store = await ({MODULE})("store.js");
  const changes = await store.changesOf(visit);
  const photos = (await store.photosOf(visit)).filter((p) => p.state !== "synced");
  const ops = await store.opsOf(visit);
  const halted = (await store.haltOf(visit)) || null;
  if (!changes.length && !photos.length && !ops.length && !halted) return null;
  const of = (kind) => Object.fromEntries(changes.filter((c) => c.kind === kind).map((c) => [c.key, c.change]));
  return {{ answers: of("answer"), staff: of("staff"), details: of("details"), halted,
           refused: Object.fromEntries(changes.filter((c) => c.refused !== null).map((c) => [c.key, c.refused])),
           photos: photos.map(({{ blob, ...p }}) => p), ops }};
}}"""


def outbox(page, visit_id: int) -> dict | None:
    """What the phone keeps unsent for a visit (None: nothing), read through the app's own store."""
    return page.evaluate(READ_OUTBOX, str(visit_id))


def settle(page) -> None:
    """Run the sync engine now and wait until it is over."""
    page.evaluate(f"({MODULE})('sync.js').then((sync) => sync.syncNow())")


def assert_no_horizontal_scroll(page, width: int = 360) -> None:
    """Fail when the page is wider than a small phone."""
    page.set_viewport_size({"width": width, "height": 740})
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px at {width}px"


@pytest.fixture
def factory(live_app):
    """Factories that write into the live app's database."""
    from ..factories import Factory

    return Factory()
