"""Fill an empty database with the demo organisation and a year of audits, through the real services.

Every visit is scheduled, answered, photographed, submitted and reviewed with the same service calls the pages
and the API use, so scores and score rows are exactly what real use writes. Only the timestamps are moved
afterwards to the visit's own dates, so the history reads like a year of work.
"""

from __future__ import annotations

import logging
import random
from datetime import date, datetime, time, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from ..accounts.models import User
from ..accounts.services import NewUser, add_user
from ..branches.services import NewBranch, add_branch
from ..clock import utcnow
from ..concepts.definition import Concept, Phase, Touchpoint
from ..concepts.loader import load_file
from ..concepts.queries import latest_version
from ..concepts.services import import_concept
from ..extensions import db
from ..photos.models import Photo
from ..photos.pipeline import ProcessedPhoto, process_photo
from ..photos.services import photo_store
from ..visits.commands import AnswerChange, Decision, Review, SaveAnswers, ScheduleVisit, StaffNote
from ..visits.models import Visit
from ..visits.saving import save_answers
from ..visits.services import review_visit, schedule_visit, submit_visit
from ..vocabulary import Role
from . import answers as gen
from .images import DRAWINGS, demo_jpeg
from .organisation import (ADMIN_EMAIL, BRANCHES, IMPROVING, PASSWORD, PEOPLE, REGIONS, SLIDING, DemoBranch,
                           logins)
from .current import CurrentWork
from .plans import MONTHS, Plan, Slot
from .timelines import Timelines

log = logging.getLogger(__name__)

CONCEPT_KEYS = ("hotel-stay", "restaurant-visit", "reservation-call", "winkelbezoek")

# A handful of critical failures: (branch, month index 0..11) -> the critical standard that failed.
CRITICAL_FAILURES = {
    ("HK-LWD", 1): "bill-correct",
    ("HH-AMS", 3): "checkin-key-security",
    ("HH-MST", 5): "card-handling",
    ("HK-UTR", 6): "allergens-asked",
    ("HH-GRN", 8): "room-clean",
    (SLIDING, 10): "toilets-clean",
}
# Visits a manager sent back once before approving them.
RESUBMITTED = {("HH-ZWL", 4), ("HK-DHG", 7), ("HH-ANR", 2)}
RETURN_COMMENTS = (
    "Please add a short comment to the answers marked 'no', so the team knows what to change.",
    "Some 'no' answers have no explanation; what exactly did you see?",
)
APPROVE_COMMENTS = (
    "Thank you: clear and well documented.",
    "Shared the after-sales findings with guest relations.",
    "Discussed with the duty manager on Monday.",
    "Good report; the photos help.",
)
PHOTO_DRAWING = {"entrance-photo": "hotel-entrance", "bathroom-clean": "bathroom",
                 "restaurant-entrance-photo": "restaurant-entrance", "toilets-clean": "toilets"}
PHOTO_CAPTION = {"entrance-photo": "Main entrance on arrival", "bathroom-clean": "Bathroom, on arrival in the room",
                 "restaurant-entrance-photo": "Entrance before going in", "toilets-clean": "Guest toilets"}


class DemoError(Exception):
    """The demo cannot be built here."""


def database_is_empty() -> bool:
    """Tell whether no user exists yet, the only state the demo fills."""
    return db.session.scalar(sa.select(User.id).limit(1)) is None


def build_demo(seed: int = 7, *, if_empty: bool = False) -> list[tuple[str, str]]:
    """Fill an empty database with the demo organisation and a year of history; return the (role, email) logins.

    :raises DemoError: when the database already has users and ``if_empty`` is false.
    """
    if not database_is_empty():
        if if_empty:
            has_admin = db.session.scalar(sa.select(User.id).where(User.email == ADMIN_EMAIL))
            return logins() if has_admin else []
        raise DemoError("the database is not empty: demo only fills an empty database")
    session = db.session()
    expire = session.expire_on_commit
    # Each service commits (about 1,200 times in all); reloading every object after each commit costs a sixth
    # of the build, and nothing else writes to these rows meanwhile.
    session.expire_on_commit = False
    try:
        _Builder(seed).build()
    finally:
        session.expire_on_commit = expire
    session.expire_all()
    return logins()


class _Builder(CurrentWork):
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.now = utcnow().replace(microsecond=0)
        self.today = self.now.date()
        self.timelines = Timelines(self.now)
        self.visits = 0

    # -- organisation ------------------------------------------------------------------------------------------

    def build(self) -> None:
        started = utcnow()
        self.concepts = self._concepts()
        for b in BRANCHES:
            add_branch(NewBranch(code=b.code, name=b.name, city=b.city, region=b.region, address=b.address,
                                 phone=b.phone))
        self.users: dict[str, User] = {}
        for p in PEOPLE:
            codes = tuple(b.code for b in BRANCHES if b.region == p.region) if p.role == Role.MANAGER else ()
            self.users[p.email] = add_user(NewUser(email=p.email, name=p.name, role=p.role, password=PASSWORD,
                                                   branch_codes=codes))
            self.users[p.email].language = p.language
        self.managers = {p.region: self.users[p.email] for p in PEOPLE if p.role == Role.MANAGER}
        self.auditors = {r: [self.users[p.email] for p in PEOPLE if p.role == Role.AUDITOR and p.region == r]
                         for r in REGIONS}
        self.photos = self._photos()
        self._profiles()
        self._history()
        self._current_work()
        self.timelines.apply()
        db.session.commit()
        log.info("demo built: %d visits in %.1f s", self.visits, (utcnow() - started).total_seconds())

    def _concepts(self) -> dict[str, Concept]:
        """Import the showcase concepts unless `concepts import` already did."""
        folder = Path(current_app.config.get("CONCEPTS_DIR", "service_concepts"))
        if not folder.is_absolute():
            from .. import ROOT
            folder = ROOT / folder
        found = {}
        for key in CONCEPT_KEYS:
            version = latest_version(key)
            if version is None:
                import_concept(load_file(folder / f"{key}.yaml"))
                version = latest_version(key)
            found[key] = version.content
        return found

    def _photos(self) -> dict[str, tuple[str, ProcessedPhoto]]:
        """Draw, clean and store each demo photo once; visits share the stored files."""
        store = photo_store(current_app.config["UPLOAD_DIR"])
        stored = {}
        for name in DRAWINGS:
            processed = process_photo(demo_jpeg(name))
            stored[name] = (store.save(processed), processed)
        return stored

    def _profiles(self) -> None:
        """Give each branch a base level and a fixed strength or weakness per touchpoint, like a real team."""
        tp_keys = sorted({tp.key for c in self.concepts.values() for _, tp in c.touchpoints()})
        self.base = {b.code: self.rng.uniform(0.74, 0.88) for b in BRANCHES}
        self.signature = {b.code: {k: self.rng.gauss(0, 0.07) for k in tp_keys} for b in BRANCHES}

    def _level(self, code: str, month: int) -> float:
        """The branch's overall quality in a month (0 = a year ago, 11 = last month, 12 = now)."""
        progress = min(month, MONTHS - 1) / (MONTHS - 1)
        if code == IMPROVING:
            return 0.52 + 0.40 * progress
        if code == SLIDING:
            return 0.90 - 0.38 * progress
        summer = -0.04 if self._month_start(month).month in (7, 8) else 0.0  # holiday season, stand-in staff
        return self.base[code] + summer

    def _quality(self, code: str, level: float):
        signature = self.signature[code]

        def quality(phase: Phase, tp: Touchpoint) -> float:
            q = level + signature.get(tp.key, 0.0)
            if phase.key in ("after-sales", "na-aankoop"):
                q -= 0.30  # the phase most often forgotten: weak across the chain
            elif tp.key == "written-confirmation":
                q -= 0.12
            return q
        return quality

    # -- a year of approved visits ------------------------------------------------------------------------------

    def _month_start(self, month: int) -> date:
        first = self.today.replace(day=1)
        index = first.year * 12 + first.month - 1 - MONTHS + month
        return date(index // 12, index % 12 + 1, 1)

    def _slots(self, branch: DemoBranch, number: int, month: int) -> list[Slot]:
        start = self._month_start(month)
        days = [start + timedelta(days=self.rng.randint(2, 12)), start + timedelta(days=self.rng.randint(14, 25))]
        if branch.kind == "shop":
            second = "call" if (month + number) % 3 == 0 else "visit"
            kinds = [("winkelbezoek", "visit"), ("winkelbezoek", second)]
        elif branch.kind == "hotel":
            kinds = [("hotel-stay", "visit"), ("reservation-call", "call")]
        elif (month + number) % 4 == 0:
            kinds = [("restaurant-visit", "visit"), ("reservation-call", "call")]
        else:
            kinds = [("restaurant-visit", "visit"), ("restaurant-visit", "visit")]
        return [Slot(c, ch, d) for (c, ch), d in zip(kinds, sorted(days))]

    def _history(self) -> None:
        for month in range(MONTHS):
            for number, branch in enumerate(BRANCHES):
                fail = CRITICAL_FAILURES.get((branch.code, month))
                for i, slot in enumerate(self._slots(branch, number, month)):
                    form = self.concepts[slot.concept].for_channel(slot.channel)
                    plan = Plan(branch, slot, self._level(branch.code, month) + self.rng.gauss(0, 0.035))
                    if fail and form.standard(fail) is not None:
                        plan.fail, fail = fail, None
                    plan.resubmit = i == 0 and (branch.code, month) in RESUBMITTED
                    self._approved(plan, form)

    def _persona(self, concept: Concept, fail: str | None) -> str | None:
        keys = [p.key for p in concept.personas]
        if fail in gen.APPLIES_TO:
            keys = [k for k in keys if k in gen.APPLIES_TO[fail]] or keys
        return self.rng.choice(keys) if keys else None

    def _visit_time(self, slot: Slot) -> datetime:
        day = slot.day
        if slot.channel == "call":
            while day.weekday() >= 5:  # reservation lines are called on weekdays
                day -= timedelta(days=1)
            at = time(self.rng.randint(9, 16), self.rng.choice((5, 20, 35, 50)))
        elif slot.concept == "hotel-stay":
            at = time(self.rng.randint(16, 19), self.rng.choice((10, 25, 40, 55)))
        elif slot.concept == "winkelbezoek":  # shop hours
            at = time(self.rng.randint(10, 16), self.rng.choice((0, 15, 30, 45)))
        elif self.rng.random() < 0.4:
            at = time(12, self.rng.choice((0, 15, 30, 45)))
        else:
            at = time(self.rng.choice((18, 19, 20)), self.rng.choice((0, 15, 30, 45)))
        return datetime.combine(day, at)

    def _duration(self, slot: Slot) -> int:
        if slot.channel == "call":
            return self.rng.randint(4, 14)
        if slot.concept == "hotel-stay":
            return self.rng.randint(900, 1080)
        if slot.concept == "winkelbezoek":
            return self.rng.randint(15, 45)
        return self.rng.randint(65, 140)

    def _auditor(self, branch: DemoBranch, channel: str) -> User:
        if channel == "call":  # a mystery caller comes from another region, so no voice is recognised
            others = [a for r, auditors in self.auditors.items() if r != branch.region for a in auditors]
            return self.rng.choice(others)
        return self.rng.choice(self.auditors[branch.region])

    def _schedule(self, plan: Plan, auditor: User, due: date) -> Visit:
        concept = self.concepts[plan.slot.concept]
        plan.persona = plan.persona or self._persona(concept, plan.fail)
        self.visits += 1
        return schedule_visit(ScheduleVisit(plan.slot.concept, plan.branch.code, auditor.email, plan.slot.channel,
                                            due, plan.persona), by=self.managers[plan.branch.region])

    def _answer(self, visit: Visit, plan: Plan, form: Concept, visited: datetime, *, limit: int | None = None,
                tweak: dict | None = None) -> gen.Sheet:
        sheet = gen.fill(form, self.rng, self._quality(plan.branch.code, plan.quality), plan.persona,
                         fail=plan.fail, staff_names=plan.branch.staff, limit=limit)
        for item in sheet.answers:
            if tweak and item["standard"] in tweak:
                item.update(tweak[item["standard"]])
        save_answers(visit, visit.auditor, SaveAnswers(
            answers=tuple(AnswerChange(**a) for a in sheet.answers), visited_at=visited, remarks=sheet.remarks,
            duration_minutes=self._duration(plan.slot), staff=tuple(StaffNote(**s) for s in sheet.staff)))
        return sheet

    def _attach_photos(self, visit: Visit, form: Concept, sheet: gen.Sheet, taken: datetime) -> None:
        """Add the photos the concept requires, pointing at the stored demo files (as add_photo would)."""
        values = {a["standard"]: a["value"] for a in sheet.answers}
        for tp, st in form.standards():
            if st.photo != "required" or values.get(st.key) == "na":
                continue
            key, processed = self.photos[PHOTO_DRAWING.get(st.key, DRAWINGS[0])]
            db.session.add(Photo(visit=visit, standard_key=st.key, touchpoint_key=tp.key,
                                 caption=PHOTO_CAPTION.get(st.key, ""), file_key=key, width=processed.width,
                                 height=processed.height, size_bytes=len(processed.image), taken_at=taken,
                                 uploaded_by_id=visit.auditor_id, created_at=taken))

    def _approved(self, plan: Plan, form: Concept) -> None:
        auditor = self._auditor(plan.branch, plan.slot.channel)
        manager = self.managers[plan.branch.region]
        visited = self._visit_time(plan.slot)
        created = datetime.combine(visited.date() - timedelta(days=self.rng.randint(12, 30)), time(9, 30))
        visit = self._schedule(plan, auditor, visited.date() + timedelta(days=self.rng.randint(1, 6)))
        sheet = self._answer(visit, plan, form, visited)
        self._attach_photos(visit, form, sheet, visited + timedelta(minutes=self.rng.randint(2, 40)))
        submit_visit(visit, auditor)
        call = plan.slot.channel == "call"
        submitted = visited + (timedelta(hours=self.rng.randint(1, 5)) if call
                               else timedelta(days=self.rng.randint(2, 5), hours=self.rng.randint(0, 3)))
        changes = [created, visited, submitted]
        if plan.resubmit:
            review_visit(visit, manager, Review(Decision.RETURN, self.rng.choice(RETURN_COMMENTS)))
            fixes = [{"standard": a["standard"], "comment": "Added after review: " + self.rng.choice(
                gen.FAIL_COMMENTS.get(a["standard"], ["not done while I was there."]))}
                     for a in sheet.answers if a["value"] == "no" and not a["comment"]]
            save_answers(visit, auditor, SaveAnswers(answers=tuple(AnswerChange(**a) for a in fixes or [
                {"standard": sheet.answers[0]["standard"], "comment": "Checked my notes; nothing to add."}])))
            submit_visit(visit, auditor)
            returned = self._office_hours(submitted, days=1)
            reopened = returned + timedelta(hours=self.rng.randint(2, 20))
            submitted = reopened + timedelta(minutes=self.rng.randint(5, 30))
            changes += [returned, reopened, submitted]
        comment = self.rng.choice(APPROVE_COMMENTS) if self.rng.random() < 0.2 else ""
        review_visit(visit, manager, Review(Decision.APPROVE, comment))
        reviewed = self._office_hours(submitted, days=self.rng.randint(0, 3))
        changes.append(reviewed)
        self.timelines.add(visit, changes, started=visited, submitted=submitted, reviewed=reviewed, answered=submitted)

    def _office_hours(self, after: datetime, *, days: int) -> datetime:
        """A weekday moment during office hours, some days after `after`: when managers review."""
        moment = datetime.combine(after.date() + timedelta(days=days),
                                  time(self.rng.randint(8, 17), self.rng.choice((0, 10, 25, 40, 55))))
        while moment.weekday() >= 5 or moment <= after:
            moment = datetime.combine(moment.date() + timedelta(days=1), moment.time())
        return moment
