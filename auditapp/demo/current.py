"""The demo's work in progress today: visits due soon and one overdue, two half filled in, some waiting for review,
one sent back — so every role's first page has something to act on."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from ..concepts.definition import Concept
from ..visits.commands import Decision, Review
from ..visits.services import review_visit, submit_visit
from .organisation import BRANCHES, REGIONS, DemoBranch
from .plans import MONTHS, Plan, Slot, concept_for


class CurrentWork:
    """A part of the demo builder (build._Builder): its rng, clock, people and visit-making methods."""

    def _current_work(self) -> None:
        branches_by_region = {r: [b for b in BRANCHES if b.region == r] for r in REGIONS}
        month = MONTHS  # this month: the trends carry on

        def plan_for(branch: DemoBranch, channel: str, day: date) -> tuple[Plan, Concept]:
            concept = concept_for(branch, channel)
            plan = Plan(branch, Slot(concept, channel, day), self._level(branch.code, month))
            return plan, self.concepts[concept].for_channel(channel)

        # Upcoming: every auditor has one to three visits or calls due in the coming weeks; one is overdue.
        for region in REGIONS:
            for auditor in self.auditors[region]:
                for _ in range(self.rng.randint(1, 3)):
                    channel = "call" if self.rng.random() < 0.3 else "visit"
                    pool = [b for b in BRANCHES if b.region != region] if channel == "call" \
                        else branches_by_region[region]
                    branch = self.rng.choice(pool)
                    due = self.today + timedelta(days=self.rng.randint(4, 30))
                    plan, _ = plan_for(branch, channel, due)
                    visit = self._schedule(plan, auditor, due)
                    self.timelines.add(visit, [self.now - timedelta(days=self.rng.randint(1, 6), hours=3)])
        auditor = self.auditors["North"][0]
        plan, _ = plan_for(branches_by_region["North"][0], "visit", self.today - timedelta(days=4))
        visit = self._schedule(plan, auditor, self.today - timedelta(days=4))
        self.timelines.add(visit, [self.now - timedelta(days=26)])

        # In progress: two visits done yesterday, with the first answers typed in.
        for region in ("West", "South"):
            branch = branches_by_region[region][0]
            auditor = self.auditors[region][1]
            visited = self._recent(days=1, channel="visit", branch=branch)
            plan, form = plan_for(branch, "visit", visited.date())
            visit = self._schedule(plan, auditor, self.today + timedelta(days=3))
            self._answer(visit, plan, form, visited, limit=self.rng.randint(12, 20))
            self.timelines.add(visit, [self.now - timedelta(days=12), visited], started=visited,
                           answered=visited + timedelta(hours=2))

        # Submitted and waiting: every manager has something in the review queue.
        for region, channel in (("North", "visit"), ("West", "visit"), ("South", "visit"), ("West", "call")):
            branch = self.rng.choice(branches_by_region[region])
            visited = self._recent(days=self.rng.randint(2, 6), channel=channel, branch=branch)
            plan, form = plan_for(branch, channel, visited.date())
            auditor = self._auditor(branch, channel)
            visit = self._schedule(plan, auditor, visited.date() + timedelta(days=2))
            sheet = self._answer(visit, plan, form, visited)
            self._attach_photos(visit, form, sheet, visited + timedelta(minutes=15))
            submit_visit(visit, auditor)
            submitted = min(visited + timedelta(hours=20), self.now - timedelta(hours=2))
            self.timelines.add(visit, [visited - timedelta(days=14), visited, submitted], started=visited,
                           submitted=submitted, answered=submitted)

        # Returned: the North manager doubts a number and asks the auditor to check it.
        branch = next(b for b in branches_by_region["North"] if b.kind == "hotel")
        auditor = self.auditors["North"][1]
        visited = self._recent(days=8, channel="visit", branch=branch)
        plan, form = plan_for(branch, "visit", visited.date())
        visit = self._schedule(plan, auditor, visited.date() + timedelta(days=3))
        sheet = self._answer(visit, plan, form, visited, tweak={"checkin-wait": {"value": 25, "comment": ""}})
        self._attach_photos(visit, form, sheet, visited + timedelta(minutes=10))
        submit_visit(visit, auditor)
        review_visit(visit, self.managers["North"], Review(
            Decision.RETURN, "Check-in wait says 25 minutes: is that right? If so, please add what caused it "
                             "(queue, staffing, a system problem), so the hotel can act on it."))
        submitted = visited + timedelta(days=2, hours=3)
        reviewed = self._office_hours(submitted, days=1)
        self.timelines.add(visit, [visited - timedelta(days=10), visited, submitted, reviewed], started=visited,
                       submitted=submitted, reviewed=reviewed, answered=submitted)

    def _recent(self, *, days: int, channel: str, branch: DemoBranch) -> datetime:
        return self._visit_time(Slot(concept_for(branch, channel), channel, self.today - timedelta(days=days)))
