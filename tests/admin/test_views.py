"""The admin's read-only overview: users, branches and concepts with their numbers, for admins only."""

from __future__ import annotations

import re

import pytest

from auditapp.extensions import db
from auditapp.photos.models import Photo
from auditapp.visits import services as visit_services

from ..factories import DATA

GOOD = {"confirmed": "yes", "greeted": "yes", "friendliness": 5, "upsell": "fitting", "clean": "yes",
        "wait": 2, "dish": "Soup of the day", "pilot": "no"}


def section(html: str, name: str) -> str:
    """The HTML of one section of the overview, so a number is checked where it belongs."""
    return re.search(rf'<section id="{name}".*?</section>', html, re.S).group(0)


def row_of(html: str, text: str) -> str:
    """The table row holding some text."""
    return next(row for row in re.findall(r"<tr>.*?</tr>", html, re.S) if text in row)


def second_version(factory, tmp_path):
    """Import mini.yaml again with a changed standard, so the concept has versions 1 and 2."""
    path = tmp_path / "v2" / "mini.yaml"
    path.parent.mkdir()
    path.write_text((DATA / "mini.yaml").read_text().replace("Greeted within a minute.", "Greeted at once."))
    return factory.concept(path)


@pytest.fixture
def world(factory):
    v1 = factory.concept()
    north = factory.branch("AMS", name="Amstel", city="Amsterdam", region="North")
    south = factory.branch("MAA", name="Maas", city="Rotterdam", region="South")
    idle = factory.branch("IDL", name="Idle", city="Utrecht", region="South")
    manager = factory.user("manager", name="Mia Manager", branches=(north, south))
    auditor = factory.user("auditor", name="Anna Auditor")
    factory.user("hr", name="Hanna HR")
    admin = factory.user("admin", name="Ada Admin")
    for branch in (north, north, south):
        factory.approved(factory.visit(version=v1, branch=branch, auditor=auditor), GOOD, reviewer=admin)
    factory.visit(version=v1, branch=north, auditor=auditor)  # scheduled: not approved
    submitted = factory.visit(version=v1, branch=south, auditor=auditor)
    factory.answered(submitted, GOOD)
    for missing in visit_services.missing_for_submit(submitted):  # required photos, as rows
        db.session.add(Photo(visit=submitted, standard_key=missing, file_key="0" * 64))
    db.session.commit()
    visit_services.submit_visit(submitted, auditor)
    return {"v1": v1, "branches": (north, south, idle), "manager": manager, "auditor": auditor, "admin": admin,
            "submitted": submitted}


def test_admin_home_redirects_to_the_overview(world, auth):
    auth.login(world["admin"])
    response = auth.client.get("/admin")
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/")
    assert auth.client.get("/", follow_redirects=True).request.path == "/admin/"


def test_admin_sees_users_branches_and_concepts_with_their_numbers(world, auth):
    auth.login(world["admin"])
    response = auth.client.get("/admin/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)

    counts = re.search(r'<ul class="list counts">.*?</ul>', html, re.S).group(0)
    assert re.search(r'href="/admin/review"><strong class="count">1</strong> to review', counts)
    assert '<strong class="count">4</strong> users' in counts
    assert '<strong class="count">3</strong> branches' in counts
    assert '<strong class="count">1</strong> concept' in counts
    assert "Approved 3" in html and "Scheduled 1" in html and "Submitted 1" in html

    users = section(html, "users")
    assert "Admin 1 · Manager 1 · Auditor 1 · HR 1" in users
    assert "AMS, MAA" in row_of(users, "Mia Manager")
    assert world["auditor"].pseudonym in row_of(users, "Anna Auditor")  # admins see both name and pseudonym
    assert 'href="/admin/users/"' in users

    branches = section(html, "branches")
    for code, region, city, approved in [("AMS", "North", "Amsterdam", 2), ("MAA", "South", "Rotterdam", 1),
                                         ("IDL", "South", "Utrecht", 0)]:
        row = row_of(branches, f"<strong>{code}</strong>")
        assert region in row and city in row
        assert f'<td class="num">{approved}</td>' in row, code
    assert branches.index("AMS") < branches.index("IDL") < branches.index("MAA")  # by code
    assert 'href="/admin/branches/"' in branches

    concepts = section(html, "concepts")
    assert 'href="/admin/concepts/mini"' in concepts and "Mini concept" in concepts
    assert "v1: 5 visits" in concepts
    assert 'href="/concepts/upload"' in concepts


def test_admin_nav_leads_to_administration_review_and_reports(world, auth):
    auth.login(world["admin"])
    nav = re.search(r'<nav class="topnav".*?</nav>', auth.client.get("/admin/").get_data(as_text=True), re.S).group(0)
    assert 'href="/admin/"' in nav and 'href="/admin/review"' in nav and 'href="/reports/"' in nav
    queue = auth.client.get("/admin/review").get_data(as_text=True)
    assert f'/review/visits/{world["submitted"].id}' in queue


def test_an_empty_installation_says_so(factory, auth):
    auth.login(factory.user("admin"))
    html = auth.client.get("/admin/").get_data(as_text=True)
    assert "No branches yet." in html and "No service concepts have been imported yet." in html


def test_concept_with_two_versions_lists_both_and_shows_the_latest(world, factory, auth, tmp_path):
    v2 = second_version(factory, tmp_path)
    factory.visit(version=v2, branch=world["branches"][0], auditor=world["auditor"])
    auth.login(world["admin"])

    overview = section(auth.client.get("/admin/").get_data(as_text=True), "concepts")
    assert "v1: 5 visits" in overview and "v2: 1 visit" in overview

    response = auth.client.get("/admin/concepts/mini")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    versions = re.search(r'<section aria-labelledby="versions-title">.*?</section>', html, re.S).group(0)
    first, second = row_of(versions, "/versions/1.yaml"), row_of(versions, "/versions/2.yaml")
    assert world["v1"].fingerprint[:8] in first and '<td class="num">5</td>' in first
    assert v2.fingerprint[:8] in second and '<td class="num">1</td>' in second
    assert versions.index("/versions/2.yaml") < versions.index("/versions/1.yaml")  # newest first
    assert "flask --app auditapp concepts import PATH/TO/mini.yaml" in html

    content = html[html.index('id="content-title"'):]
    assert "Version 2" in content
    assert "Greeted at once." in content and "Greeted within a minute." not in content
    assert content.index("Booking") < content.index("Reservation by phone") < content.index("Answered within three rings.")
    welcome = content[content.index("<h4>Welcome</h4>"):content.index("<h4>Table</h4>")]
    assert "weight 2" in welcome and "staff are recorded" in welcome and "Host" in welcome
    greeted = welcome[welcome.index("Greeted at once."):welcome.index("Friendliness.")]
    assert "yes / no" in greeted and "critical" in greeted and "Why:</span> First impression." in greeted
    assert "scale 1–5" in welcome and "Something that fits the guest" in welcome
    confirmed = content[content.index("Booking confirmed in writing."):content.index("<h4>Welcome</h4>")]
    assert "N/A allowed" in confirmed and "photo optional" in confirmed
    assert "photo required" in content[content.index("The table is clean."):content.index("Minutes until seated.")]


def test_yaml_download_returns_the_stored_source_exactly(world, factory, auth, tmp_path):
    v2 = second_version(factory, tmp_path)
    auth.login(world["admin"])
    for version in (world["v1"], v2):
        response = auth.client.get(f"/admin/concepts/mini/versions/{version.number}.yaml")
        assert response.status_code == 200
        assert response.mimetype == "text/plain"
        assert response.headers["Content-Disposition"] == f'attachment; filename="mini-v{version.number}.yaml"'
        assert response.get_data(as_text=True) == version.source
    assert world["v1"].source == (DATA / "mini.yaml").read_text()
    assert auth.client.get("/admin/concepts/mini/versions/3.yaml").status_code == 404
    assert auth.client.get("/admin/concepts/nope/versions/1.yaml").status_code == 404
    assert auth.client.get("/admin/concepts/nope").status_code == 404


ADMIN_URLS = ["/admin/", "/admin/review", "/admin/concepts/mini", "/admin/concepts/mini/versions/1.yaml"]


@pytest.mark.parametrize("role", ["manager", "auditor", "hr"])
def test_other_roles_get_404(world, factory, auth, role):
    user = world["manager"] if role == "manager" else world["auditor"] if role == "auditor" else factory.user("hr")
    auth.login(user)
    for url in ADMIN_URLS:
        assert auth.client.get(url).status_code == 404, (role, url)


def test_anonymous_is_sent_to_login(world, client):
    for url in ADMIN_URLS:
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/login?next=" in response.headers["Location"], url


def test_user_text_is_escaped(factory, auth):
    hostile = "<script>x</script>"
    branch = factory.branch("XSS", name=hostile, city=hostile, region=hostile)
    factory.user("manager", name=hostile, branches=(branch,))
    auth.login(factory.user("admin"))
    html = auth.client.get("/admin/").get_data(as_text=True)
    assert hostile not in html
    assert html.count("&lt;script&gt;x&lt;/script&gt;") == 4  # branch name, region, city, manager's name
