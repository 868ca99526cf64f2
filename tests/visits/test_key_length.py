"""Keys of the longest length the loader accepts fit every column that stores them, on both databases."""

from __future__ import annotations

import io
import textwrap

import sqlalchemy as sa

from auditapp.concepts.definition import MAX_KEY
from auditapp.concepts.models import Concept
from auditapp.extensions import db
from auditapp.photos.models import Photo
from auditapp.visits.models import Answer, StaffRecord, TouchpointScore, Visit

from ..photos.helpers import encode, noisy_image

VISITED_AT = "2026-04-14T19:30"


def longest(prefix: str) -> str:
    return (prefix + "-" + "x" * MAX_KEY)[:MAX_KEY]


LONGEST = textwrap.dedent(f"""\
    key: {longest("concept")}
    name: {"N" * 200}
    personas:
      - {{key: {longest("persona")}, name: Guest}}
    phases:
      - key: {longest("phase")}
        name: Arrival
        touchpoints:
          - key: {longest("touchpoint")}
            name: Desk
            record_staff: true
            standards:
              - key: {longest("standard")}
                text: What was offered?
                type: choice
                photo: required
                options:
                  - {{key: {longest("option")}, label: Everything, score: 1}}
""")


def test_keys_of_the_longest_allowed_length_are_stored_end_to_end(auth, factory, tmp_path):
    path = tmp_path / "longest.yaml"
    path.write_text(LONGEST)
    visit = factory.visit(version=factory.concept(path), persona=longest("persona"))
    auth.login(visit.auditor)
    standard, touchpoint = longest("standard"), longest("touchpoint")

    body = {"answers": [{"standard": standard, "value": longest("option")}], "visited_at": VISITED_AT,
            "staff": [{"touchpoint": touchpoint, "name": "Ann"}]}
    response = auth.api("PUT", f"/api/v1/visits/{visit.id}/answers", json=body)
    assert response.status_code == 200, response.json
    jpeg = encode(noisy_image((64, 64)), "JPEG")
    response = auth.api("POST", f"/api/v1/visits/{visit.id}/photos", content_type="multipart/form-data",
                        data={"file": (io.BytesIO(jpeg), "desk.jpg"), "standard": standard})
    assert response.status_code == 201, response.json
    assert auth.api("POST", f"/api/v1/visits/{visit.id}/submit").status_code == 200

    auth.client.post("/logout", data={"csrf_token": auth.csrf})
    auth.login(factory.user("admin"))
    response = auth.api("POST", f"/api/v1/visits/{visit.id}/review", json={"decision": "approve"})
    assert response.status_code == 200, response.json

    db.session.expire_all()
    assert db.session.scalar(sa.select(Concept.key)) == longest("concept")
    assert db.session.get(Visit, visit.id).persona_key == longest("persona")
    answers = db.session.execute(sa.select(Answer.standard_key, Answer.value)).all()
    assert answers == [(standard, longest("option"))]
    assert db.session.scalars(sa.select(StaffRecord.touchpoint_key)).all() == [touchpoint]
    assert db.session.execute(sa.select(Photo.standard_key, Photo.touchpoint_key)).all() == [
        (standard, touchpoint)]
    score = db.session.scalars(sa.select(TouchpointScore)).one()
    assert (score.phase_key, score.touchpoint_key, score.score) == (longest("phase"), touchpoint, 100.0)
