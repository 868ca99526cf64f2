"""Standard score rows: written at approval, with their owning roles, equal to what scoring gives."""

from __future__ import annotations

import sqlalchemy as sa

from auditapp.extensions import db
from auditapp.photos.models import Photo
from auditapp.scoring import standard_score
from auditapp.visits import services
from auditapp.visits.commands import Decision, Review
from auditapp.visits.models import StandardScore

from ..factories import DATA
from .test_api import COMPLETE


def stored(visit_id: int) -> dict[str, tuple[float, float, bool, set[str], str]]:
    rows = db.session.scalars(sa.select(StandardScore).where(StandardScore.visit_id == visit_id)).all()
    return {r.standard_key: (r.score, r.weight, r.critical, {role.role_key for role in r.roles}, r.touchpoint_key)
            for r in rows}


def test_approval_writes_one_row_per_scored_standard_with_its_roles(factory):
    visit = factory.approved(factory.visit(), {**COMPLETE, "friendliness": 2, "confirmed": "na"})
    rows = stored(visit.id)
    content = visit.concept_version.content
    # Computed here from the concept itself, not from the service: every standard of the visit's channel
    # that scores, and no other (na, text, untargeted numbers, weight 0 and photos have no row).
    expected = {}
    for tp, st in content.for_channel("visit").standards():
        s = standard_score(st, visit.answer_values().get(st.key))
        if s is not None:
            expected[st.key] = (s, st.weight, st.critical, set(st.roles or tp.roles), tp.key)
    assert rows == expected
    assert set(rows) == {"greeted", "friendliness", "upsell", "clean"}
    assert rows["friendliness"][0] == 0.25
    assert rows["greeted"][2:4] == (True, {"host"})
    assert rows["clean"][3] == set()  # its touchpoint names no role


def test_a_standard_of_its_own_roles_is_owned_by_them_not_by_its_touchpoint(factory, tmp_path):
    source = tmp_path / "own.yaml"
    text = (DATA / "mini.yaml").read_text().replace(
        "{key: friendliness, text: Friendliness., type: scale, min: 1, max: 5, why: Warmth.}",
        "{key: friendliness, text: Friendliness., type: scale, min: 1, max: 5, why: Warmth., roles: [agent]}")
    source.write_text(text)
    version = factory.concept(source)
    visit = factory.approved(factory.visit(version=version), COMPLETE)
    rows = stored(visit.id)
    assert rows["friendliness"][3] == {"agent"}
    assert rows["greeted"][3] == {"host"}


def test_a_return_removes_the_rows_and_a_second_approval_writes_them_afresh(factory):
    visit = factory.visit(persona="solo")
    factory.answered(visit, COMPLETE)
    for standard in ("clean", "entrance"):
        db.session.add(Photo(visit_id=visit.id, standard_key=standard, touchpoint_key="table", file_key="0" * 64))
    db.session.commit()
    admin = factory.user("admin")
    services.submit_visit(visit, visit.auditor)
    services.review_visit(visit, admin, Review(Decision.APPROVE))
    assert stored(visit.id)
    # A visit approved and then handled again: only the rows of its last approval remain.
    db.session.execute(sa.update(type(visit)).where(type(visit).id == visit.id).values(status="submitted"))
    db.session.commit()
    services.review_visit(visit, admin, Review(Decision.RETURN, "Check the photo."))
    assert stored(visit.id) == {}
    factory.answered(visit, {"greeted": "no"})
    services.submit_visit(visit, visit.auditor)
    services.review_visit(visit, admin, Review(Decision.APPROVE))
    assert stored(visit.id)["greeted"][0] == 0.0
