"""A small organisation with a visit in every state, for the hostile sweep: every role has something to reach."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from auditapp.extensions import db
from auditapp.offline.assets import asset_version
from auditapp.photos import services as photo_services
from auditapp.visits import services as visit_services
from auditapp.visits.commands import Decision, Review

from ..factories import REPO, Factory
from ..photos.helpers import encode, noisy_image

STATIC = REPO / "static"
ROLES = ("admin", "manager", "auditor", "hr", "anonymous")
COMPLETE = {"confirmed": "yes", "greeted": "yes", "friendliness": 4, "upsell": "drink", "clean": "yes",
            "wait": 3, "dish": "Soup of the day", "pilot": "no"}


def tiny_jpeg() -> bytes:
    return encode(noisy_image((64, 48)), "JPEG", quality=80)


@dataclass
class World:
    """What the sweep fills into paths and bodies: users by role, and real ids by URL argument name."""

    users: dict = field(default_factory=dict)
    ids: dict[str, list] = field(default_factory=dict)
    standards: list[str] = field(default_factory=list)
    staff_touchpoint: str = ""


def issue_link_for(user) -> str:
    """A real one-time password link, so the sweep attacks the page behind it and not only its 404."""
    from auditapp.accounts.links import issue_link

    secret = issue_link(user)
    db.session.commit()
    return secret


def build_world(factory: Factory, upload_dir: str) -> World:
    """Two branches (one the manager's), visits scheduled, in progress, returned, submitted and approved."""
    version = factory.concept()
    mine, other = factory.branch(name="Harbour", region="Coast"), factory.branch(name="Hill", region="Inland")
    users = {"admin": factory.user("admin"), "manager": factory.user("manager", branches=(mine,)),
             "auditor": factory.user("auditor"), "hr": factory.user("hr")}
    auditor, admin = users["auditor"], users["admin"]
    store = photo_services.photo_store(upload_dir)

    def visit(branch, day: int, channel: str = "visit"):
        return factory.visit(version=version, branch=branch, auditor=auditor, channel=channel,
                             persona="solo", due=date(2026, 3, day))

    def completed(branch, day: int):
        v = visit(branch, day)
        factory.answered(v, COMPLETE, visited_at=datetime(2026, 3, day, 12, 0))
        for key in ("clean", "entrance"):
            photo_services.add_photo(v, auditor, photo_services.PhotoUpload(tiny_jpeg(), standard=key), store,
                                     10 * 1024 * 1024)
        return visit_services.submit_visit(v, auditor)

    visits = [visit(mine, 1), visit(other, 2, "call")]                     # scheduled
    started = visit(mine, 3)
    factory.answered(started, {"greeted": "yes", "dish": "Soup"})           # in progress
    photo_services.add_photo(started, auditor, photo_services.PhotoUpload(tiny_jpeg(), standard="clean",
                                                                           caption="Table"), store, 10 << 20)
    visits.append(started)
    returned = completed(mine, 4)
    visit_services.review_visit(returned, admin, Review(Decision.RETURN, "Welcome: who greeted you?"))
    visits.append(returned)
    visits += [completed(mine, 5), completed(mine, 6), completed(other, 7)]  # submitted
    for day, branch in ((8, mine), (9, mine), (10, other)):                  # approved
        visits.append(visit_services.review_visit(completed(branch, day), admin, Review(Decision.APPROVE)))
    db.session.commit()

    photos = sorted({p.id for v in visits for p in v.photos})
    content = version.content
    return World(
        users=users,
        ids={"visit_id": [v.id for v in visits], "photo_id": photos, "branch_id": [mine.id, other.id],
             "key": [version.concept.key], "number": [version.number], "role": [r.key for r in content.roles],
             "user_id": [users["hr"].id], "secret": [issue_link_for(users["hr"])],
             "filename": [next(p.relative_to(STATIC).as_posix() for p in sorted(STATIC.rglob("*.css")))],
             "version": [asset_version(), "0" * 12]},  # today's static version and an old one
        standards=[st.key for _tp, st in visit_services.form_of(started).standards()],
        staff_touchpoint=next(tp.key for _ph, tp in content.touchpoints() if tp.record_staff))
