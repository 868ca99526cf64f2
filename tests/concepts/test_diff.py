"""The diff between two concept versions lists exactly the changes made, and nothing else."""

from __future__ import annotations

from auditapp.concepts.diff import diff
from auditapp.concepts.loader import load_text
from auditapp.vocabulary import ChangeKind as K

from ..factories import DATA

MINI = (DATA / "mini.yaml").read_text()


def version(text: str):
    return load_text(text, "v.yaml").concept


def kinds(changes) -> set[tuple[str, str]]:
    return {(c.kind, c.key) for c in changes}


def test_the_same_version_has_no_changes():
    assert diff(version(MINI), version(MINI)) == []


def test_known_changes_are_listed_exactly():
    text = (MINI
            .replace("{key: rings, text: Answered within three rings., type: yesno, weight: 2, why: Callers hang up.}",
                     "{key: rings, text: Answered within three rings., type: yesno, weight: 3, why: Callers hang up.}")
            .replace("{key: friendliness, text: Friendliness., type: scale",
                     "{key: friendliness, text: Warm and personal., type: scale")
            .replace("{key: clean, text: The table is clean., type: yesno, photo: required, why: Hygiene.}",
                     "{key: clean, text: The table is clean., type: yesno, photo: required, why: Hygiene., critical: true}")
            .replace("          - {key: pilot, text: Pilot behaviour., type: yesno, weight: 0, why: Being tried out.}\n", "")
            .replace("          - {key: dish, text: Name of the dish recommended., type: text, why: Knowledge.}\n",
                     "          - {key: dish, text: Name of the dish recommended., type: text, why: Knowledge.}\n"
                     "          - {key: water, text: Water offered., type: yesno, why: Care.}\n"))
    changes = diff(version(MINI), version(text))
    assert kinds(changes) == {(K.STANDARD_REWEIGHTED, "rings"), (K.STANDARD_REWORDED, "friendliness"),
                              (K.STANDARD_MADE_CRITICAL, "clean"), (K.STANDARD_REMOVED, "pilot"),
                              (K.STANDARD_ADDED, "water")}
    reweighted = next(c for c in changes if c.kind == K.STANDARD_REWEIGHTED)
    assert (reweighted.before, reweighted.after) == ("2", "3")
    reworded = next(c for c in changes if c.kind == K.STANDARD_REWORDED)
    assert (reworded.before, reworded.after) == ("Friendliness.", "Warm and personal.")
    back = diff(version(text), version(MINI))
    assert (K.STANDARD_NO_LONGER_CRITICAL, "clean") in kinds(back) and (K.STANDARD_REMOVED, "water") in kinds(back)


def test_touchpoints_added_removed_and_moved():
    # Swap the two touchpoints of "The visit" (welcome, table): one of them moves, not both.
    welcome_start = MINI.index("      - key: welcome")
    table_start = MINI.index("      - key: table")
    swapped = MINI[:welcome_start] + MINI[table_start:] + MINI[welcome_start:table_start]
    changes = diff(version(MINI), version(swapped))
    assert len(changes) == 1 and changes[0].kind == K.TOUCHPOINT_MOVED
    assert changes[0].before == changes[0].after == "The visit" and changes[0].places in {(1, 2), (2, 1)}
    # Remove the phone touchpoint: it and its standards are gone, nothing else changed.
    phone_start = MINI.index("      - key: phone")
    confirmation_start = MINI.index("      - key: confirmation")
    without_phone = MINI[:phone_start] + MINI[confirmation_start:]
    changes = diff(version(MINI), version(without_phone))
    assert kinds(changes) == {(K.TOUCHPOINT_REMOVED, "phone"), (K.STANDARD_REMOVED, "rings"),
                              (K.STANDARD_REMOVED, "hold")}
    added = diff(version(without_phone), version(MINI))
    assert (K.TOUCHPOINT_ADDED, "phone") in kinds(added)


def test_a_touchpoint_moved_to_another_phase_names_both_places():
    start, end = MINI.index("      - key: confirmation"), MINI.index("  - key: visit\n")
    block = MINI[start:end]
    head = "    name: The visit\n    touchpoints:\n"
    moved = (MINI[:start] + MINI[end:]).replace(head, head + block)
    changes = diff(version(MINI), version(moved))
    assert [(c.kind, c.key, c.before, c.after, c.places) for c in changes] == [
        (K.TOUCHPOINT_MOVED, "confirmation", "Booking", "The visit", (2, 1))]


def test_the_diff_page_for_report_readers_linked_from_the_version_marks(factory, auth, tmp_path):
    factory.concept()
    changed = tmp_path / "mini.yaml"
    changed.write_text(MINI.replace("weight: 2, why: Callers hang up.", "weight: 3, why: Callers hang up."))
    factory.concept(changed)
    auth.login(factory.user("manager"))
    page = auth.client.get("/concepts/mini/diff").get_data(as_text=True)
    assert 'data-change="standard_reweighted:rings"' in page and "2 → 3" in page
    assert page.count("data-change=") == 1
    start, end = MINI.index("      - key: confirmation"), MINI.index("  - key: visit\n")
    head = "    name: The visit\n    touchpoints:\n"
    changed.write_text((MINI[:start] + MINI[end:]).replace(head, head + MINI[start:end]))
    factory.concept(changed)
    moved = auth.client.get("/concepts/mini/diff?from=1&to=3").get_data(as_text=True)
    assert 'data-change="touchpoint_moved:confirmation"' in moved and "Booking, place 2 → The visit, place 1" in moved
    assert 'data-change="standard_reweighted:rings"' not in moved  # v3 is built from v1's text
    assert auth.client.get("/concepts/mini/diff?from=x&to=").status_code == 200  # defaults: the latest change
    assert auth.client.get("/concepts/mini/diff?from=1&to=9").status_code == 404
    assert auth.client.get("/concepts/nope/diff").status_code == 404
    auth.logout()
    auth.login(factory.user("auditor"))
    assert auth.client.get("/concepts/mini/diff").status_code == 404
