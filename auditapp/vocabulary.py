"""The app's fixed words — visit status, channel, user role, score band — and the lifecycle facts that go with them.

Defined once here and used by the models' CHECK constraints, the services, the templates and the PDFs. Pure: no
Flask. Labels are English source text marked with ``N_`` for extraction; whoever shows one translates it (the
``label`` Jinja filter, ``reports.text.term_label`` for the PDFs and charts).
"""

from __future__ import annotations

import enum

from .domain_error import N_


class Term(enum.StrEnum):
    """A stored word with its English label; it equals its stored string, so plain strings keep working."""

    label: str

    def __new__(cls, value: str, label: str) -> Term:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member


class VisitStatus(Term):
    """Where a visit is in its lifecycle (docs/architecture.md, Roles), in lifecycle order."""

    SCHEDULED = "scheduled", N_("Scheduled")
    IN_PROGRESS = "in_progress", N_("In progress")
    SUBMITTED = "submitted", N_("Submitted")
    RETURNED = "returned", N_("Returned")
    APPROVED = "approved", N_("Approved")
    CANCELLED = "cancelled", N_("Cancelled")

    @property
    def editable(self) -> bool:
        """The auditor may still change the answers."""
        return self in EDITABLE_STATUSES

    @property
    def done(self) -> bool:
        """The auditor's part is over and the visit waits for, or has had, its approval."""
        return self in DONE_STATUSES


# docs/architecture.md, Roles: an auditor edits a visit until it is submitted, and again once a reviewer returns it.
EDITABLE_STATUSES = (VisitStatus.SCHEDULED, VisitStatus.IN_PROGRESS, VisitStatus.RETURNED)
# Submitted or approved: the auditor's part is done (their list of finished visits).
DONE_STATUSES = (VisitStatus.SUBMITTED, VisitStatus.APPROVED)
# A manager sees a visit once it has been submitted; before that it is the auditor's draft.
MANAGER_STATUSES = (VisitStatus.SUBMITTED, VisitStatus.RETURNED, VisitStatus.APPROVED)
# A visit may be cancelled until the auditor has submitted it.
CANCELLABLE_STATUSES = (VisitStatus.SCHEDULED, VisitStatus.IN_PROGRESS)
# Only approved visits count in reports (docs/architecture.md, Scoring).
REPORTED_STATUS = VisitStatus.APPROVED


class Channel(Term):
    """How an audit is done."""

    VISIT = "visit", N_("On-site visit")
    CALL = "call", N_("Phone call")


class Role(Term):
    """A user's one role (docs/architecture.md, Roles), in the order the administration lists users."""

    ADMIN = "admin", N_("Admin")
    MANAGER = "manager", N_("Manager")
    AUDITOR = "auditor", N_("Auditor")
    HR = "hr", N_("HR")


# docs/architecture.md, Roles: branch reports and exports are for these roles; auditors get 404.
REPORT_READERS = (Role.ADMIN, Role.MANAGER, Role.HR)
# Reviewers open single visits and decide on them; HR reads numbers only.
REVIEWERS = (Role.ADMIN, Role.MANAGER)


class Band(Term):
    """A score's band against a concept's thresholds (docs/architecture.md, Scoring); see ``scoring.band``."""

    GOOD = "good", N_("Good")
    FAIR = "fair", N_("Fair")
    POOR = "poor", N_("Poor")

    @property
    def letter(self) -> str:
        """Abbreviate the band for a heatmap cell, as the legends next to the heatmaps explain."""
        return BAND_LETTERS[self]


# The first letters of Good, Fair and Poor: translate them together with the legends that spell them out.
BAND_LETTERS = {Band.GOOD: N_("G"), Band.FAIR: N_("F"), Band.POOR: N_("P")}

class Subject(Term):
    """What an administrative action was done to (the audit log)."""

    USER = "user", N_("User")
    BRANCH = "branch", N_("Branch")
    CONCEPT = "concept", N_("Concept")
    VISIT = "visit", N_("Visit")


class AuditAction(Term):
    """An administrative action the audit log keeps: who did it, to what, when."""

    USER_CREATED = "user_created", N_("User created")
    USER_CHANGED = "user_changed", N_("User changed")
    USER_DEACTIVATED = "user_deactivated", N_("User deactivated")
    USER_REACTIVATED = "user_reactivated", N_("User reactivated")
    PASSWORD_LINK_ISSUED = "password_link_issued", N_("Password link issued")
    BRANCH_CREATED = "branch_created", N_("Branch created")
    BRANCH_CHANGED = "branch_changed", N_("Branch changed")
    BRANCH_DEACTIVATED = "branch_deactivated", N_("Branch deactivated")
    CONCEPT_IMPORTED = "concept_imported", N_("Concept version imported")
    VISIT_SCHEDULED = "visit_scheduled", N_("Visit scheduled")
    VISIT_REASSIGNED = "visit_reassigned", N_("Visit reassigned")
    VISIT_RESCHEDULED = "visit_rescheduled", N_("Visit rescheduled")
    VISIT_CANCELLED = "visit_cancelled", N_("Visit cancelled")


class ChangeKind(Term):
    """How one concept version differs from another, as the diff between versions names it."""

    STANDARD_ADDED = "standard_added", N_("Standard added")
    STANDARD_REMOVED = "standard_removed", N_("Standard removed")
    STANDARD_REWORDED = "standard_reworded", N_("Standard reworded")
    STANDARD_REWEIGHTED = "standard_reweighted", N_("Weight changed")
    STANDARD_MADE_CRITICAL = "standard_made_critical", N_("Made critical")
    STANDARD_NO_LONGER_CRITICAL = "standard_no_longer_critical", N_("No longer critical")
    TOUCHPOINT_ADDED = "touchpoint_added", N_("Touchpoint added")
    TOUCHPOINT_REMOVED = "touchpoint_removed", N_("Touchpoint removed")
    TOUCHPOINT_MOVED = "touchpoint_moved", N_("Touchpoint moved")


# The names of the facts an audit entry keeps (audit.services.record's keyword arguments), as the log shows them.
AUDIT_DETAILS = {"role": N_("role"), "version": N_("version"), "due": N_("due date"), "channel": N_("channel"),
                 "round": N_("round"), "before": N_("before"), "after": N_("after"), "reason": N_("reason"),
                 "csv": N_("from a CSV file"), "branches": N_("branches"), "regions": N_("regions"),
                 "email": N_("email")}

VOCABULARIES: tuple[type[Term], ...] = (VisitStatus, Channel, Role, Band, Subject, AuditAction, ChangeKind)
