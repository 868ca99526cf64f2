"""Optional standards may stay empty at submit; required ones may not (docs/concept-format.md `required`)."""

from __future__ import annotations

import re
import textwrap

import pytest

from auditapp.concepts import models as concept_models
from auditapp.extensions import db
from auditapp.photos.models import Photo
from auditapp.visits.models import Visit

from ..factories import stored_before_required

# mini.yaml: wait (a number without target), dish (text) and pilot (weight 0) are optional by default.
REQUIRED_ONLY = {"confirmed": "yes", "greeted": "yes", "friendliness": 4, "upsell": "drink", "clean": "yes"}
VISITED_AT = "2026-04-14T19:30"


def answers_body(values: dict, **extra) -> dict:
    return {"answers": [{"standard": k, "value": v} for k, v in values.items()], **extra}


def add_photo_rows(visit: Visit, *standards: str) -> None:
    """Attach photo rows without files: these tests are about the submit rules, not the pictures."""
    db.session.add_all([Photo(visit_id=visit.id, standard_key=k, file_key="0" * 64) for k in standards])
    db.session.commit()


def status_of(visit: Visit) -> str:
    db.session.expire_all()
    return db.session.get(Visit, visit.id).status


@pytest.fixture
def mine(factory, auth):
    visit = factory.visit()
    auth.login(visit.auditor)
    return visit


def test_api_submits_with_the_optional_standards_left_empty(auth, mine):
    body = answers_body(REQUIRED_ONLY, visited_at=VISITED_AT)
    assert auth.api("PUT", f"/api/v1/visits/{mine.id}/answers", json=body).status_code == 200
    add_photo_rows(mine, "clean", "entrance")
    body = auth.api("GET", f"/api/v1/visits/{mine.id}").json
    assert body["missing"] == {}
    standards = [s for p in body["form"]["phases"] for t in p["touchpoints"] for s in t["standards"]]
    required = {s["key"]: s["required"] for s in standards}
    assert required == {"confirmed": True, "greeted": True, "friendliness": True, "upsell": True, "clean": True,
                        "wait": False, "dish": False, "pilot": False, "entrance": False}

    response = auth.api("POST", f"/api/v1/visits/{mine.id}/submit")
    assert response.status_code == 200, response.json
    assert response.json["status"] == "submitted"


def test_api_refuses_submit_while_a_required_answer_is_missing(auth, mine):
    partial = {k: v for k, v in REQUIRED_ONLY.items() if k != "friendliness"}
    auth.api("PUT", f"/api/v1/visits/{mine.id}/answers", json=answers_body(partial, visited_at=VISITED_AT))
    add_photo_rows(mine, "clean", "entrance")
    response = auth.api("POST", f"/api/v1/visits/{mine.id}/submit")
    assert response.status_code == 422
    assert response.json["error"]["fields"] == {"friendliness": "an answer is required"}
    assert status_of(mine) == "in_progress"


def standard_blocks(html: str) -> dict[str, str]:
    """Cut the form page into the markup of each standard, keyed by standard key."""
    parts = re.split(r'<div class="std[^"]*" id="st-', html)[1:]
    return {part.split('"', 1)[0]: part for part in parts}


def test_form_marks_only_the_optional_standards(auth, mine):
    html = auth.client.get(f"/visits/{mine.id}/form").get_data(as_text=True)
    blocks = standard_blocks(html)
    marked = {key for key, block in blocks.items() if 'class="tag tag-optional"' in block}
    # entrance is a photo standard that must have its photo; clean needs a photo even if it were optional
    assert marked == {"wait", "dish", "pilot"}
    assert set(blocks) >= {"greeted", "entrance", "clean"}


def test_html_submit_page_and_submit_with_the_optional_standards_left_empty(auth, factory, mine):
    factory.answered(mine, REQUIRED_ONLY)
    add_photo_rows(mine, "clean", "entrance")
    html = auth.client.get(f"/visits/{mine.id}/submit").get_data(as_text=True)
    assert "Everything required is filled in." in html
    assert "#st-dish" not in html and "#st-wait" not in html and "#st-pilot" not in html
    response = auth.client.post(f"/visits/{mine.id}/submit", data={"csrf_token": auth.csrf})
    assert response.status_code == 302 and response.location.endswith(f"/visits/{mine.id}/thanks")
    assert status_of(mine) == "submitted"


def test_html_submit_is_refused_while_a_required_answer_is_missing(auth, factory, mine):
    factory.answered(mine, {k: v for k, v in REQUIRED_ONLY.items() if k != "upsell"})
    add_photo_rows(mine, "clean", "entrance")
    html = auth.client.get(f"/visits/{mine.id}/submit").get_data(as_text=True)
    assert re.findall(r'form#(st-[a-z-]+)', html) == ["st-upsell"]
    response = auth.client.post(f"/visits/{mine.id}/submit", data={"csrf_token": auth.csrf})
    assert response.status_code == 422
    assert status_of(mine) == "in_progress"


SAID = textwrap.dedent("""\
    key: said
    name: Required said in the file
    phases:
      - key: stay
        name: Stay
        touchpoints:
          - key: room
            name: Room
            standards:
              - {key: must-say, text: "What did you hear?", type: text, required: true}
              - {key: may-skip, text: Towels folded., type: yesno, required: false}
              - {key: photo-anyway, text: Bed made., type: yesno, required: false, photo: required}
""")


def test_required_said_in_the_concept_decides_what_is_missing(auth, factory, tmp_path):
    path = tmp_path / "said.yaml"
    path.write_text(SAID)
    visit = factory.visit(version=factory.concept(path))
    auth.login(visit.auditor)
    auth.api("PUT", f"/api/v1/visits/{visit.id}/answers", json=answers_body({}, visited_at=VISITED_AT))
    response = auth.api("POST", f"/api/v1/visits/{visit.id}/submit")
    assert response.status_code == 422
    # an optional answer does not lift a required photo (unless it is answered n/a)
    assert response.json["error"]["fields"] == {"must-say": "an answer is required",
                                                "photo-anyway": "a photo is required"}

    auth.api("PUT", f"/api/v1/visits/{visit.id}/answers", json=answers_body({"must-say": "Welcome back."}))
    add_photo_rows(visit, "photo-anyway")
    assert auth.api("POST", f"/api/v1/visits/{visit.id}/submit").status_code == 200


def test_a_visit_on_a_version_stored_before_required_existed_gets_the_defaults(auth, factory, monkeypatch, mine):
    stored_before_required(mine.concept_version)
    monkeypatch.setattr(concept_models, "_BUILT", {})  # build the stored definition, not a cached one
    auth.api("PUT", f"/api/v1/visits/{mine.id}/answers", json=answers_body(REQUIRED_ONLY, visited_at=VISITED_AT))
    add_photo_rows(mine, "clean", "entrance")
    assert auth.api("POST", f"/api/v1/visits/{mine.id}/submit").status_code == 200

