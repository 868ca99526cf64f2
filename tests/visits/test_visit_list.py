"""The auditor's list: open visits all at once, the submitted ones last submitted first, twenty to a page."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from auditapp.extensions import db
from auditapp.visits.models import Visit
from auditapp.visits.queries import DONE_PAGE, done_visits


@pytest.fixture
def auditor(factory, auth):
    user = factory.user("auditor")
    auth.login(user)
    return user


def submitted(factory, auditor, count: int) -> list[int]:
    """Visits marked submitted an hour apart, in a shuffled order of creation; newest first."""
    version, branch = factory.concept(), factory.branch()
    ids = [factory.visit(version=version, branch=branch, auditor=auditor).id for _ in range(count)]
    start = datetime(2026, 3, 1, 9, 0)
    order = ids[1::2] + ids[0::2]  # submitted in another order than created
    for hours, visit_id in enumerate(order):
        db.session.execute(sa.update(Visit).where(Visit.id == visit_id)
                           .values(status="submitted", submitted_at=start + timedelta(hours=hours)))
    db.session.commit()
    return list(reversed(order))


def listed(html: str) -> list[int]:
    done = html.split('id="submitted"', 1)[1]
    return [int(i) for i in re.findall(r'<li data-visit="(\d+)"', done)]


def test_submitted_visits_are_listed_last_submitted_first_twenty_a_page(auth, factory, auditor):
    newest_first = submitted(factory, auditor, 25)
    still_open = factory.visit(auditor=auditor)
    first = auth.client.get("/visits/").get_data(as_text=True)
    assert listed(first) == newest_first[:20]
    assert f'data-visit="{still_open.id}"' in first.split('id="submitted"')[0]  # open visits stay on every page
    assert 'href="/visits/?page=2#submitted">Older</a>' in first and ">Newer<" not in first
    second = auth.client.get("/visits/?page=2").get_data(as_text=True)
    assert listed(second) == newest_first[20:]
    assert 'href="/visits/#submitted">Newer</a>' in second and ">Older<" not in second


@pytest.mark.parametrize("page", ["0", "-1", "abc", "9" * 30, "1e309", "%ED%A0%80", "3", "²"])
def test_a_page_that_is_no_page_is_404_not_an_error(auth, factory, auditor, page):
    submitted(factory, auditor, 21)
    assert auth.client.get(f"/visits/?page={page}").status_code == 404


def test_visits_submitted_at_the_same_moment_are_on_exactly_one_page(auth, factory, auditor):
    version, branch = factory.concept(), factory.branch()
    ids = [factory.visit(version=version, branch=branch, auditor=auditor).id for _ in range(DONE_PAGE + 5)]
    db.session.execute(sa.update(Visit).where(Visit.id.in_(ids))
                       .values(status="submitted", submitted_at=datetime(2026, 3, 1, 9, 0)))
    db.session.commit()
    shown = [listed(auth.client.get(url).get_data(as_text=True)) for url in ("/visits/", "/visits/?page=2")]
    assert shown[0] + shown[1] == sorted(ids, reverse=True)  # the id breaks the tie: no overlap, no gap


def test_a_finished_visit_without_a_submission_time_comes_last_on_both_backends(factory, auditor):
    newest_first = submitted(factory, auditor, 2)
    undated = factory.visit(auditor=auditor)
    db.session.execute(sa.update(Visit).where(Visit.id == undated.id).values(status="approved", submitted_at=None))
    db.session.commit()
    rows, more = done_visits(auditor, 1)
    assert [v.id for v in rows] == [*newest_first, undated.id] and not more


def test_the_list_reads_one_page_of_submitted_visits_in_sql_never_all_of_them(auth, factory, auditor):
    submitted(factory, auditor, 3 * DONE_PAGE)
    statements: list[tuple[str, object]] = []

    def record(_conn, _cursor, statement, parameters, _context, _many):
        if re.search(r"\bFROM visits\b", statement):
            statements.append((statement, parameters))

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert len(listed(auth.client.get("/visits/?page=2").get_data(as_text=True))) == DONE_PAGE
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)

    def values(parameters) -> list:
        return list(parameters.values() if isinstance(parameters, dict) else parameters)
    paged = [(s, p) for s, p in statements if "LIMIT" in s]
    assert len(paged) == 1 and "OFFSET" in paged[0][0]
    assert DONE_PAGE + 1 in values(paged[0][1]) and DONE_PAGE in values(paged[0][1])  # LIMIT 21 OFFSET 20
    for statement, parameters in statements:  # any other read of visits is of the open ones only
        if (statement, parameters) not in paged:
            assert "submitted" not in values(parameters) and "scheduled" in values(parameters), statement
