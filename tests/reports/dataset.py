"""A fixed world for report tests: three branches, five months, N/A answers, critical failures, a phone call and
a concept version change (v2 renames one touchpoint and removes another).

Every score a test expects is written here by hand from docs/architecture.md, Scoring, not computed by the app, so the report
queries are checked against an independent source.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from PIL import Image

from auditapp.visits.commands import AnswerChange, Decision, Review, SaveAnswers
from auditapp.extensions import db
from auditapp.photos.models import Photo
from auditapp.photos.services import PhotoUpload, add_photo, photo_store
from auditapp.visits import saving, services as visit_services
from auditapp.visits.models import Visit

from ..factories import DATA

HOSTILE = '<font color="[[[x]]]">'

# Answer sets and their touchpoint (T), phase and visit scores, worked out by hand:
#   GOOD      confirmation 100 | welcome 100 | table 100                      -> booking 100, visit 100; visit 100
#   MIXED     confirmation n/a | welcome (1 + .5 + .5)/3 = 66.667 | table 0     -> booking —, visit (2·66.667+0)/3;
#             visit score (2·66.667 + 0)/3 = 44.444 (confirmation has no score, so it does not count)
#   CRITICAL  confirmation 0 | welcome 0 (greeted: no is critical) | table 100 -> booking 0, visit 33.333;
#             visit (1·0 + 2·0 + 1·100)/4 = 25
#   FAIR      confirmation 100 | welcome (1 + .75 + 0)/3 = 58.333 | table 100   -> booking 100, visit 72.222;
#             visit (100 + 2·58.333 + 100)/4 = 79.167
#   CALL      phone (2·1 + 1·0)/3 = 66.667 (hold 3 > 1 misses) | confirmation 100 -> booking 83.333; visit 83.333
#   GOOD2/MIXED2 are GOOD/MIXED on version 2, which has no confirmation touchpoint.
ANSWERS = {
    "GOOD": {"confirmed": "yes", "greeted": "yes", "friendliness": 5, "upsell": "fitting", "clean": "yes",
             "wait": 2, "dish": "Soup of the day", "pilot": "no"},
    "MIXED": {"confirmed": "na", "greeted": "yes", "friendliness": 3, "upsell": "drink", "clean": "no",
              "wait": 10, "dish": "Fish", "pilot": "yes"},
    "CRITICAL": {"confirmed": "no", "greeted": "no", "friendliness": 5, "upsell": "fitting", "clean": "yes",
                 "wait": 1, "dish": "Pasta", "pilot": "yes"},
    "FAIR": {"confirmed": "yes", "greeted": "yes", "friendliness": 4, "upsell": "none", "clean": "yes",
             "wait": 4, "dish": "Salad", "pilot": "no"},
    "CALL": {"rings": "yes", "hold": 3, "confirmed": "yes"},
}
ANSWERS["GOOD2"] = {k: v for k, v in ANSWERS["GOOD"].items() if k != "confirmed"}
ANSWERS["MIXED2"] = {k: v for k, v in ANSWERS["MIXED"].items() if k != "confirmed"}

T = {  # touchpoint scores; None = not scored; a missing key = not in that visit's form
    "GOOD": {"confirmation": 100.0, "welcome": 100.0, "table": 100.0},
    "MIXED": {"confirmation": None, "welcome": 200 / 3, "table": 0.0},
    "CRITICAL": {"confirmation": 0.0, "welcome": 0.0, "table": 100.0},
    "FAIR": {"confirmation": 100.0, "welcome": 175 / 3, "table": 100.0},
    "CALL": {"phone": 200 / 3, "confirmation": 100.0},
    "GOOD2": {"welcome": 100.0, "table": 100.0},
    "MIXED2": {"welcome": 200 / 3, "table": 0.0},
}
PHASE = {
    "GOOD": {"booking": 100.0, "visit": 100.0},
    "MIXED": {"booking": None, "visit": 400 / 9},
    "CRITICAL": {"booking": 0.0, "visit": 100 / 3},
    "FAIR": {"booking": 100.0, "visit": 650 / 9},
    "CALL": {"booking": 250 / 3},
    "GOOD2": {"visit": 100.0},
    "MIXED2": {"visit": 400 / 9},
}
VISIT = {"GOOD": 100.0, "MIXED": 400 / 9, "CRITICAL": 25.0, "FAIR": 475 / 6, "CALL": 250 / 3, "GOOD2": 100.0,
         "MIXED2": 400 / 9}

# (branch, visit date, answer set, concept version); all approved.
APPROVED = [
    ("A", date(2026, 6, 10), "GOOD", 1), ("A", date(2026, 6, 20), "MIXED", 1), ("A", date(2026, 7, 5), "CRITICAL", 1),
    ("A", date(2026, 7, 15), "CALL", 1), ("A", date(2026, 8, 12), "FAIR", 1),
    ("A", date(2026, 9, 8), "GOOD2", 2), ("A", date(2026, 10, 2), "MIXED2", 2), ("A", date(2026, 10, 20), "GOOD2", 2),
    ("B", date(2026, 6, 15), "FAIR", 1), ("B", date(2026, 7, 7), "GOOD", 1), ("B", date(2026, 7, 8), "GOOD", 1),
    ("B", date(2026, 7, 9), "MIXED", 1), ("B", date(2026, 10, 5), "GOOD2", 2),
    ("C", date(2026, 7, 10), "CRITICAL", 1), ("C", date(2026, 7, 11), "CRITICAL", 1), ("C", date(2026, 7, 12), "FAIR", 1),
    ("C", date(2026, 10, 6), "MIXED2", 2),
]


def mean(values):
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else None


def month(day: date) -> str:
    return f"{day.year}-{day.month:02d}"


def expected_overall(branches: set[str], label_of=month) -> dict[str, tuple[float, int]]:
    """Mean visit score and n per period over the given branches, from the table above."""
    groups: dict[str, list[float]] = {}
    for code, day, key, _v in APPROVED:
        if code in branches:
            groups.setdefault(label_of(day), []).append(VISIT[key])
    return {label: (mean(values), len(values)) for label, values in groups.items()}


def expected_touchpoint(code: str, touchpoint: str, label_of=month) -> dict[str, tuple[float, int]]:
    """Mean T and n per period for one branch's touchpoint, over visits where T is not None."""
    groups: dict[str, list[float]] = {}
    for c, day, key, _v in APPROVED:
        score = T[key].get(touchpoint)
        if c == code and score is not None:
            groups.setdefault(label_of(day), []).append(score)
    return {label: (mean(values), len(values)) for label, values in groups.items()}


def expected_phase(code: str, phase: str, label_of=month) -> dict[str, tuple[float, int]]:
    groups: dict[str, list[float]] = {}
    for c, day, key, _v in APPROVED:
        score = PHASE[key].get(phase)
        if c == code and score is not None:
            groups.setdefault(label_of(day), []).append(score)
    return {label: (mean(values), len(values)) for label, values in groups.items()}


def jpeg_bytes(color=(200, 80, 40), size=(640, 480)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG", quality=90)
    return out.getvalue()


def version_two(tmp_path: Path) -> Path:
    """mini.yaml with the table touchpoint renamed and the confirmation touchpoint removed."""
    text = (DATA / "mini.yaml").read_text()
    removed = ("      - key: confirmation\n        name: Confirmation\n        channels: [visit, call]\n"
               "        standards:\n          - {key: confirmed, text: Booking confirmed in writing., type: yesno,"
               " na: true, why: Certainty.}\n")
    assert removed in text and "        name: Table\n" in text
    path = tmp_path / "mini-v2" / "mini.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text.replace(removed, "").replace("        name: Table\n", "        name: Table service\n"))
    return path


@dataclass
class World:
    branches: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    visits: list = field(default_factory=list)       # approved, in APPROVED order
    submitted: Visit | None = None                   # waiting in branch A's queue
    draft: Visit | None = None                       # in progress at branch A
    photo_visit: Visit | None = None                 # A, 2026-06-20, MIXED, with a real photo and the hostile comment
    concept_id: int = 0


def fill(factory, visit: Visit, answers: dict, at: datetime, comments: dict | None = None) -> Visit:
    """Answer a visit through the service, with comments, and attach placeholder rows for required photos."""
    comments = comments or {}
    update = SaveAnswers(answers=tuple(AnswerChange(k, v, comments.get(k)) for k, v in answers.items()),
                         visited_at=at, remarks="Quiet evening.")
    saving.save_answers(visit, visit.auditor, update)
    for missing in visit_services.missing_for_submit(visit):
        if missing != "visited_at" and not any(p.standard_key == missing for p in visit.photos):
            db.session.add(Photo(visit=visit, standard_key=missing, file_key="0" * 64))
    db.session.commit()
    return visit


def build_world(factory, tmp_path: Path, upload_dir: str) -> World:
    """Create the branches, users and visits above; version 2 is imported between the v1 and v2 visits."""
    w = World()
    v1 = factory.concept()
    w.concept_id = v1.concept_id
    w.branches = {"A": factory.branch("A01", name="Amstel", region="North"),
                  "B": factory.branch("B01", name="Brug", region="North"),
                  "C": factory.branch("C01", name="Centrum", region="South")}
    w.users = {"admin": factory.user("admin"), "hr": factory.user("hr"),
               "manager_ab": factory.user("manager", branches=(w.branches["A"], w.branches["B"])),
               "manager_c": factory.user("manager", branches=(w.branches["C"],)),
               "auditor": factory.user("auditor", name="Anna Auditor"), "auditor2": factory.user("auditor")}
    admin = w.users["admin"]

    versions = {1: v1}

    def approve(code, day, key, number):
        channel = "call" if key == "CALL" else "visit"
        visit = factory.visit(version=versions[number], branch=w.branches[code], auditor=w.users["auditor"], channel=channel,
                              persona="solo", due=day)
        comments = {}
        if (code, day) == ("A", date(2026, 6, 20)):
            comments = {"clean": HOSTILE}
            store = photo_store(upload_dir)
            add_photo(visit, visit.auditor, PhotoUpload(data=jpeg_bytes(), standard="clean", caption="Sticky table"),
                      store, 15 * 1024 * 1024)
            w.photo_visit = visit
        fill(factory, visit, ANSWERS[key], datetime.combine(day, datetime.min.time()).replace(hour=19), comments)
        assert not visit_services.missing_for_submit(visit), visit_services.missing_for_submit(visit)
        visit_services.submit_visit(visit, visit.auditor)
        visit_services.review_visit(visit, admin, Review(Decision.APPROVE))
        return visit

    by_version = {1: [], 2: []}
    for row in APPROVED:
        by_version[row[3]].append(row)
    made = {}
    for code, day, key, number in by_version[1]:
        made[(code, day)] = approve(code, day, key, number)
    # Still on version 1: a submitted visit (waits for review, never counts) and a draft.
    w.submitted = factory.visit(version=v1, branch=w.branches["A"], auditor=w.users["auditor2"], due=date(2026, 7, 20))
    fill(factory, w.submitted, ANSWERS["CRITICAL"], datetime(2026, 7, 20, 12))
    visit_services.submit_visit(w.submitted, w.submitted.auditor)
    w.draft = factory.visit(version=v1, branch=w.branches["A"], auditor=w.users["auditor"], due=date(2026, 7, 21))
    fill(factory, w.draft, {"greeted": "no"}, datetime(2026, 7, 21, 12))

    versions[2] = factory.concept(version_two(tmp_path))
    assert versions[2].number == 2
    for code, day, key, number in by_version[2]:
        made[(code, day)] = approve(code, day, key, number)
    w.visits = [made[(code, day)] for code, day, _k, _v in APPROVED]
    return w
