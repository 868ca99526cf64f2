"""axe-core over every HTML page of every role, found from the app's URL map, at phone and desktop size, and
over the error states: no violation of the WCAG 2.0–2.2 A/AA rules may come back."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

from axe_playwright_python.base import AXE_SCRIPT
from flask import url_for
from playwright.sync_api import expect
from werkzeug.exceptions import HTTPException

from auditapp.branches.models import Branch
from auditapp.concepts.models import Concept
from auditapp.extensions import db
from auditapp.photos.models import Photo
from auditapp.visits import services as visit_services
from auditapp.visits.commands import Cancel, Decision, Review
from auditapp.visits.models import Visit

from ..reports.dataset import ANSWERS, fill
from .conftest import login

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SIZES = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 800}}
TODAY = date.today()
# The HTML pages the seeded world must let some role open; the sweep itself finds them from the URL map.
HTML_ENDPOINTS = {"home.manager", "home.hr", "visits.index", "visits.show", "visits.briefing",
                  "visits.form", "visits.review", "visits.thanks", "review.visit", "reports.overview",
                  "reports.branch", "reports.cell", "admin.index", "admin.review", "admin.concept", "audit.log",
                  "handbooks.index", "handbooks.concept", "handbooks.role", "roles.scores", "staff.notes",
                  "schedule.index", "schedule.visit", "concepts.changes", "accounts.account",
                  "users.index", "users.new", "users.edit", "branches.index", "branches.edit",
                  "concepts.upload", "concepts.preview"}


def seed(factory):
    """A small world: two branches, one auditor's visits in every status, an approved history for the reports."""
    version = factory.concept()
    home, other = factory.branch("AMS", name="Amstel"), factory.branch("UTR", name="Utrecht Centraal")
    people = {"admin": factory.user("admin"), "manager": factory.user("manager", branches=(home,)),
              "hr": factory.user("hr"), "auditor": factory.user("auditor")}
    auditor, admin = people["auditor"], people["admin"]

    def visit(channel="visit", branch=home, days=7):
        return factory.visit(version=version, branch=branch, auditor=auditor, channel=channel, persona="solo",
                             due=TODAY + timedelta(days=days))

    visit()  # scheduled
    visit_services.start_visit(visit(channel="call"), auditor)  # in progress, a phone call
    fill(factory, submitted := visit(), ANSWERS["FAIR"], datetime.combine(TODAY, datetime.min.time()))
    visit_services.submit_visit(submitted, auditor)
    fill(factory, returned := visit(), ANSWERS["MIXED"], datetime.combine(TODAY, datetime.min.time()))
    visit_services.submit_visit(returned, auditor)
    visit_services.review_visit(returned, admin, Review(Decision.RETURN, "Add the photo of the table, please."))
    visit_services.cancel_visit(visit(branch=other), admin, Cancel("Branch closed for works."))
    for n, (branch, answers) in enumerate([(home, "GOOD"), (home, "CRITICAL"), (other, "MIXED"), (home, "FAIR")]):
        done = visit(branch=branch, days=-30 * n)
        factory.approved(done, ANSWERS[answers], reviewer=admin,
                         visited_at=datetime.combine(TODAY - timedelta(days=20 + 30 * n), datetime.min.time()))
    return people, submitted


def urls(app, values: dict) -> list[tuple[str, str]]:
    """(endpoint, path) for every GET rule, each id filled with every value the world has for it."""
    out = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods or rule.endpoint == "static":
                continue
            combos = [{}]
            for arg in rule.arguments:
                combos = [c | {arg: v} for c in combos for v in values.get(arg, [])]
            out += [(rule.endpoint, url_for(rule.endpoint, **c)) for c in combos]
    return out


# What axe's rules look at: the kinds of elements (tag, classes, role, type, ARIA) and whether each is hidden.
# Two pages with the same kinds differ only in their words, so axe runs once for both.
SHAPE = """() => [...new Set([...document.querySelectorAll('body *')].map((e) => [e.tagName, e.className, e.type,
  e.getAttribute('role'), [...e.attributes].filter((a) => a.name.startsWith('aria-')).map((a) => a.name).join(),
  e.hidden].join('|')))].sort().join('\\n')"""


SIDEWAYS = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def violations(page) -> list[str]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT)  # once per page load: parsing axe is most of a run's cost
    result = page.evaluate("(tags) => axe.run({runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
                           WCAG)
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
            for v in result["violations"]]


def check(page, label: str, found: dict, sizes=SIZES) -> None:
    """axe at each size on the page as it is now; resizing keeps the page and its state."""
    for size, viewport in sizes.items():
        page.set_viewport_size(viewport)
        found[f"{label} @ {size}"] = problems = violations(page)
        if size == "phone" and (wide := page.evaluate(SIDEWAYS)) > 0:
            problems.append(f"the page scrolls sideways by {wide}px (WCAG 1.4.10)")
    if not re.fullmatch(r".+ · auditapp", page.title()):
        found[f"{label} title"] = [f"the title {page.title()!r} does not say what the page is (WCAG 2.4.2)"]


def test_every_page_of_every_role_passes_axe(live_app, browser, playwright_instance, live_url, factory):
    people, submitted = seed(factory)
    visits = db.session.query(Visit).order_by(Visit.id).all()
    values = {"visit_id": [v.id for v in visits], "branch_id": [b.id for b in db.session.query(Branch)],
              "key": [c.key for c in db.session.query(Concept)], "number": [1],
              "photo_id": [p.id for p in db.session.query(Photo)][:1], "role": ["host"]}
    status_of = {str(v.id): v.status for v in visits}
    adapter = live_app.url_map.bind("localhost")
    device = dict(playwright_instance.devices["Pixel 7"]) | {"viewport": SIZES["phone"]}
    found: dict[str, list[str]] = {}
    pages, kinds, shapes = set(), set(), set()

    def sweep(page, role):
        """Open each URL once per kind of page and follow the in-app links it shows; axe each new shape."""
        queue = [path for _endpoint, path in urls(live_app, values)]
        queued = set(queue)
        while queue:
            path = queue.pop(0)
            try:
                endpoint, args = adapter.match(urlsplit(path).path)
            except HTTPException:  # not one of the app's routes, or a redirect of one
                continue
            response = page.request.get(path, max_redirects=0)
            if not response.headers.get("content-type", "").startswith("text/html") or 300 <= response.status < 400:
                continue
            # A kind of page: an error page is one whatever its address; a visit's page differs by its status.
            kind = (role, (endpoint, status_of.get(str(args.get("visit_id")))) if response.ok else None, response.status)
            if kind in kinds:
                continue
            kinds.add(kind)
            page.goto(path)  # waits for "load"; waiting for an idle network would double the run
            pages.add((role, endpoint, response.status))
            shape = page.evaluate(SHAPE)
            if shape not in shapes:
                shapes.add(shape)
                check(page, f"{role} {path} [{response.status}]", found)
            links = page.eval_on_selector_all("a[href^='/']", "as => as.map(a => a.getAttribute('href').split('#')[0])")
            queue += [href for href in dict.fromkeys(links) if href not in queued]
            queued.update(links)

    # Anonymous: the login page, and the same after a wrong password.
    context = browser.new_context(**device, base_url=live_url, service_workers="block")
    page = context.new_page()
    page.goto("/login")
    check(page, "anonymous /login", found)
    page.set_viewport_size(SIZES["phone"])
    page.fill("input[name=email]", people["admin"].email)
    page.fill("input[name=password]", "wrong")
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    expect(page.locator(".error-summary")).to_be_focused()  # the list of what to fix is read first
    check(page, "anonymous /login wrong password", found)
    context.close()

    for role, user in people.items():
        context = browser.new_context(**device, base_url=live_url, service_workers="block")
        page = context.new_page()
        login(page, user)
        sweep(page, role)
        if role == "manager":  # a return without a comment is refused at the field
            page.goto(f"/review/visits/{submitted.id}")
            page.set_viewport_size(SIZES["phone"])
            page.click("input[name=send_back]")
            page.wait_for_load_state("networkidle")
            expect(page.locator("#comment-error")).to_be_visible()
            expect(page.locator(".error-summary")).to_be_focused()
            expect(page.locator(".error-summary a[href='#comment']")).to_have_count(1)
            check(page, "manager review return without comment", found)
        if role == "admin":  # a branch without code or name, then a CSV file with bad lines, refused
            page.goto("/admin/branches/")
            page.set_viewport_size(SIZES["phone"])
            page.click("input[name=new-save]")
            page.wait_for_load_state("networkidle")
            expect(page.locator("#new-name-error")).to_be_visible()
            check(page, "admin branch added without code and name", found)
            page.set_input_files("input[name=csv-file]", files=[{"name": "b.csv", "mimeType": "text/csv",
                                                                 "buffer": b"code,name\nbad code,\nOK-1,Fine\nX-1,\n"}])
            page.click("input[name=csv-upload]")
            page.wait_for_load_state("networkidle")
            expect(page.locator(".import-errors li")).to_have_count(2)
            check(page, "admin CSV import with bad lines", found)
        if role == "auditor":  # an invalid value sent without script, then another refused on the live form
            in_progress = next(v for v in visits if v.status == "in_progress")
            page.goto(f"/visits/{in_progress.id}/form")
            page.set_viewport_size(SIZES["phone"])
            page.evaluate("""() => { const f = document.getElementById('visit-form');
                f.elements.namedItem('duration_minutes').value = 'lots';
                const a = document.createElement('input'); a.type = 'hidden'; a.name = 'action'; a.value = 'save';
                f.append(a); HTMLFormElement.prototype.submit.call(f); }""")
            page.wait_for_load_state("networkidle")
            expect(page.locator("#err-duration_minutes")).to_be_visible()
            expect(page.locator(".error-summary")).to_be_focused()
            check(page, "auditor visit form sent with an invalid value", found)
            hold = page.locator('input[name="v-hold"]')
            hold.fill("lots")
            hold.press("Tab")  # refused by the API on the live form, and marked there by form.js
            expect(hold).to_have_attribute("aria-invalid", "true")
            check(page, "auditor live form with a refused value", found)
        context.close()

    bad = {label: v for label, v in found.items() if v}
    print(f"axe: {len(kinds)} pages opened ({len(pages)} role × endpoint × code), {len(found)} axe runs "
          f"over {len(shapes)} distinct shapes × {len(SIZES)} sizes plus the error states")
    assert not bad, "\n".join(f"{label}:\n  " + "\n  ".join(v) for label, v in bad.items())
    opened = {endpoint for _role, endpoint, code in pages if code == 200}
    assert opened >= HTML_ENDPOINTS, sorted(HTML_ENDPOINTS - opened)  # every page was reached, not only the login
