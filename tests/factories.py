"""Factories for the objects a test needs; each test builds exactly its own world."""

from __future__ import annotations

import copy
import hashlib
import itertools
import json
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from werkzeug.security import generate_password_hash

from auditapp.accounts.models import User
from auditapp.branches.models import Branch, Region
from auditapp.concepts.loader import load_file
from auditapp.concepts.models import ConceptVersion
from auditapp.concepts.services import import_concept
from auditapp.extensions import db
from auditapp.visits import saving, services as visit_services
from auditapp.visits.commands import AnswerChange, Decision, Review, SaveAnswers, ScheduleVisit
from auditapp.visits.models import Visit

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).resolve().parent.parent
PASSWORD = "correct horse battery"


def stored_standards(definition: dict) -> list[dict]:
    """The standards of a stored concept definition (JSON), in journey order."""
    return [st for ph in definition["phases"] for tp in ph["touchpoints"] for st in tp["standards"]]


def stored_before_required(version: ConceptVersion) -> None:
    """Rewrite a version as the code before `required` stored it: no such key (nor an empty `labels` or an English
    `language`, which came later), and hashed without them."""
    definition = copy.deepcopy(version.definition)
    if definition.get("language") == "en":
        del definition["language"]
    for standard in stored_standards(definition):
        del standard["required"]
        if standard["labels"] is None:
            del standard["labels"]
    version.definition = definition
    canonical = json.dumps(definition, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    version.fingerprint = hashlib.sha256(canonical.encode()).hexdigest()
    db.session.commit()


@lru_cache(maxsize=1)
def _password_hash() -> str:
    # scrypt is slow on purpose; hash the shared test password once per session.
    return generate_password_hash(PASSWORD, method="scrypt")


class Factory:
    def __init__(self):
        self._seq = itertools.count(1)

    def user(self, role: str = "auditor", *, email: str | None = None, name: str | None = None,
             branches: tuple[Branch, ...] = ()) -> User:
        n = next(self._seq)
        user = User(email=email or f"{role}{n}@example.test", name=name or f"{role.title()} {n}", role=role,
                    password_hash=_password_hash(), branches=list(branches))
        db.session.add(user)
        db.session.commit()
        return user

    def branch(self, code: str | None = None, *, name: str | None = None, city: str = "Utrecht",
               region: str | None = "Centre") -> Branch:
        n = next(self._seq)
        region_obj = None
        if region:
            region_obj = db.session.query(Region).filter_by(name=region).one_or_none() or Region(name=region)
        branch = Branch(code=code or f"B{n:03d}", name=name or f"Branch {n}", city=city, region=region_obj)
        db.session.add(branch)
        db.session.commit()
        return branch

    def concept(self, path: str | Path = DATA / "mini.yaml") -> ConceptVersion:
        result = import_concept(load_file(path))
        return db.session.query(ConceptVersion).join(ConceptVersion.concept).filter_by(key=result.key).order_by(
            ConceptVersion.number.desc()).first()

    def showcase(self, key: str) -> ConceptVersion:
        return self.concept(REPO / "service_concepts" / f"{key}.yaml")

    def visit(self, *, version: ConceptVersion | None = None, branch: Branch | None = None,
              auditor: User | None = None, channel: str = "visit", persona: str | None = None,
              due: date = date(2026, 4, 15)) -> Visit:
        version = version or self.concept()
        branch = branch or self.branch()
        auditor = auditor or self.user("auditor")
        return visit_services.schedule_visit(ScheduleVisit(
            version.concept.key, branch.code, auditor.email, channel, due, persona))

    def answered(self, visit: Visit, answers: dict, *, visited_at: datetime = datetime(2026, 4, 14, 19, 30)) -> Visit:
        """Fill a visit in through the same service the API uses."""
        update = SaveAnswers(answers=tuple(AnswerChange(k, v) for k, v in answers.items()), visited_at=visited_at)
        return saving.save_answers(visit, visit.auditor, update).visit

    def approved(self, visit: Visit, answers: dict, reviewer: User | None = None, **kwargs) -> Visit:
        """Answer, attach required photos as rows, submit and approve a visit."""
        from auditapp.photos.models import Photo

        self.answered(visit, answers, **kwargs)
        for missing in visit_services.missing_for_submit(visit):
            if missing != "visited_at":
                db.session.add(Photo(visit=visit, standard_key=missing, file_key="0" * 64))
        db.session.commit()
        visit_services.submit_visit(visit, visit.auditor)
        reviewer = reviewer or self.user("admin")
        return visit_services.review_visit(visit, reviewer, Review(Decision.APPROVE))
