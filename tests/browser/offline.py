"""A phone that loses its connection for real: Chromium with a profile on disk, and a two-worker gunicorn that is
stopped (no answer at all, for the page and its service worker alike) and started again on the same port."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import sqlalchemy as sa
from PIL import Image
from playwright.sync_api import BrowserContext, Page

from auditapp import create_app
from auditapp.extensions import db
from auditapp.photos.models import Photo
from auditapp.visits.models import Answer

from ..gunicorn import Gunicorn
from .conftest import CHROMIUM, CHROMIUM_ARGS, eventually

# Reads what the phone keeps, through the app's own store module (the one the page already loaded).
READ_STORE = """async (visit) => {
  const page = [...document.scripts].find((s) => s.type === "module").src;
  const store = await import(page.replace(/js\\/[^/]+$/, "js/store.js"));
  const changes = await store.changesOf(visit);
  const photos = (await store.photosOf(visit)).map(({ blob, ...p }) => ({ ...p, size: blob ? blob.size : 0 }));
  return { changes, photos, ops: await store.opsOf(visit), halted: (await store.haltOf(visit)) || null };
}"""


def jpeg(color: str, size=(64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG", quality=90)
    return out.getvalue()


class Phone:
    """A Chromium profile that survives a closed browser, on a Pixel-sized touch screen."""

    def __init__(self, playwright, profile: Path, base_url: str):
        self.playwright, self.profile, self.base_url = playwright, profile, base_url
        self.context: BrowserContext | None = None

    def open(self) -> Page:
        device = {k: v for k, v in self.playwright.devices["Pixel 7"].items() if k != "default_browser_type"}
        self.context = self.playwright.chromium.launch_persistent_context(
            str(self.profile), executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, base_url=self.base_url, **device)
        page = self.context.pages[0] if self.context.pages else self.context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())  # "leave with unsent work?" — the test means it
        return page

    def close(self) -> None:
        if self.context is not None:
            self.context.close()
            self.context = None


def kept(page: Page, visit_id: int) -> dict:
    return page.evaluate(READ_STORE, str(visit_id))


def until_true(page: Page, script: str, arg=None, seconds: float = 30) -> None:
    """Evaluate `script` until it is true; evaluate() awaits a promise, which wait_for_function would take as true."""
    def failure() -> str:
        worker = page.evaluate("""async () => { const r = await navigator.serviceWorker.getRegistration();
          return r ? { installing: !!r.installing, waiting: !!r.waiting, active: r.active && r.active.state } : null; }""")
        return f"never true: {script} (service worker: {worker})"

    eventually(page, lambda: page.evaluate(script, arg), seconds, failure)


def wait_until_kept_offline(page: Page, url: str) -> None:
    """Wait until the service worker has kept `url` (it installs in the background, then the list asks it)."""
    until_true(page, "async (url) => !!(await (await caches.open('auditapp-pages')).match(url))", url)


def server_answers(app, visit_id: int) -> dict:
    with app.app_context():
        return {a.standard_key: a.value for a in db.session.scalars(sa.select(Answer).where(Answer.visit_id == visit_id))}


def server_photos(app, visit_id: int) -> list[Photo]:
    with app.app_context():
        return list(db.session.scalars(sa.select(Photo).where(Photo.visit_id == visit_id).order_by(Photo.id)))


@pytest.fixture
def served(tmp_path, sqlite_template):
    """A seeded SQLite database served by gunicorn, and an app on the same database for seeding and checking."""
    import shutil

    path = tmp_path / "db.sqlite"
    shutil.copyfile(sqlite_template, path)
    url = f"sqlite:///{path}"
    app = create_app({"TESTING": True, "SECRET_KEY": "offline", "SQLALCHEMY_DATABASE_URI": url,
                      "UPLOAD_DIR": str(tmp_path / "uploads")})
    server = Gunicorn(url, tmp_path, secret="offline").start()
    try:
        yield app, server
    finally:
        server.stop()
        with app.app_context():
            db.engine.dispose()
