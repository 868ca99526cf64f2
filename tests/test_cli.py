"""The `flask --app auditapp …` commands of docs/architecture.md, Interfaces: what they print, their exit codes, what they create."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from auditapp.accounts.models import ApiToken, User
from auditapp.branches.models import Branch, Region
from auditapp.extensions import db
from auditapp.visits.models import StatusChange, Visit

DATA = Path(__file__).parent / "data"
PASSWORD_INPUT = "long enough pw\n"  # one line from a pipe, as a script sends it


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def invoke(runner, *args, input=None):
    result = runner.invoke(args=list(args), input=input)
    db.session.expire_all()
    return result


# --- concepts check -----------------------------------------------------------------------------------------

THREE_MISTAKES = """\
key: broken
name: Broken
roles: [{key: host, name: Host}]
phases:
  - key: visit
    name: Visit
    touchpoints:
      - key: welcome
        name: Welcome
        roles: [chef]
        standards:
          - {key: greeted, text: Greeted., type: yesno, wieght: 2}
          - {key: upsell, text: Extra offered., type: choice}
"""


def test_check_prints_every_mistake_with_its_path_and_exits_1(runner, tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text(THREE_MISTAKES)
    result = invoke(runner, "concepts", "check", str(path))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert sorted(lines) == sorted([
        f"{path}: phases[0].touchpoints[0].roles[0]: role 'chef' is not declared under roles",
        f"{path}: phases[0].touchpoints[0].standards[0].wieght: unknown field (allowed: critical, guidance, key, "
        "labels, max, min, na, options, photo, required, roles, target, text, type, unit, weight, why)",
        f"{path}: phases[0].touchpoints[0].standards[1].options: a choice needs options",
    ])


def test_check_good_file_exits_0(runner):
    result = invoke(runner, "concepts", "check", str(DATA / "mini.yaml"))
    assert result.exit_code == 0, result.output
    assert result.output == f"{DATA / 'mini.yaml'}: ok (mini: 2 phases, 4 touchpoints, 11 standards)\n"


def test_check_a_folder_with_one_bad_file(runner, tmp_path):
    (tmp_path / "a.yaml").write_text((DATA / "mini.yaml").read_text())
    (tmp_path / "b.yaml").write_text("- not a mapping\n")
    result = invoke(runner, "concepts", "check", str(tmp_path))
    assert result.exit_code == 1
    assert "a.yaml: ok" in result.stdout
    assert f"{tmp_path / 'b.yaml'}: must be a mapping, got a list" in result.stderr


def test_check_missing_file(runner, tmp_path):
    result = invoke(runner, "concepts", "check", str(tmp_path / "absent.yaml"))
    assert result.exit_code == 1
    assert "cannot read" in result.stderr


def test_check_needs_a_path(runner):
    assert invoke(runner, "concepts", "check").exit_code == 2


@pytest.mark.parametrize("command", ["check", "import"])
def test_folder_without_concept_files_is_an_error(runner, tmp_path, command):
    (tmp_path / "notes.txt").write_text("not a concept")
    result = invoke(runner, "concepts", command, str(tmp_path))
    assert result.exit_code == 1
    assert f"no concept files (*.yaml, *.yml) in {tmp_path}" in result.output


# --- users ------------------------------------------------------------------------------------------------------

def test_users_add_reads_the_password_from_stdin(runner, factory):
    branch = factory.branch("AMS-1")
    result = invoke(runner, "users", "add", "Mia@Example.test", "--role", "manager", "--name", "Mia Jansen",
                    "--branch", "AMS-1", input=PASSWORD_INPUT)
    assert result.exit_code == 0, result.output
    assert result.output.endswith("mia@example.test: manager added\n")
    user = db.session.scalar(sa.select(User).where(User.email == "mia@example.test"))
    assert (user.name, user.role, [b.id for b in user.branches]) == ("Mia Jansen", "manager", [branch.id])
    assert user.password_hash.startswith("scrypt:")
    assert user.check_password("long enough pw")


def test_users_add_without_a_password_on_stdin_creates_nothing(runner):
    result = invoke(runner, "users", "add", "a@example.test", "--role", "auditor", "--name", "A", input="")
    assert result.exit_code == 1
    assert "no password on standard input" in result.output
    assert count(User) == 0


def test_users_add_duplicate_email_is_refused(runner):
    invoke(runner, "users", "add", "a@example.test", "--role", "auditor", "--name", "A", input=PASSWORD_INPUT)
    result = invoke(runner, "users", "add", "A@example.test", "--role", "hr", "--name", "B", input=PASSWORD_INPUT)
    assert result.exit_code == 1
    assert "a user with email a@example.test exists already" in result.output
    assert count(User) == 1


@pytest.mark.parametrize("args, message", [
    (["--role", "manager", "--branch", "NOPE"], "no branch with code NOPE"),
    (["--role", "auditor", "--branch", "B1"], "only managers are linked to branches"),
])
def test_users_add_refuses_bad_branches(runner, factory, args, message):
    factory.branch("B1")
    result = invoke(runner, "users", "add", "x@example.test", "--name", "X", *args, input=PASSWORD_INPUT)
    assert result.exit_code == 1
    assert message in result.output
    assert count(User) == 0


def test_users_add_refuses_a_bad_role(runner):
    result = invoke(runner, "users", "add", "x@example.test", "--role", "owner", "--name", "X", input=PASSWORD_INPUT)
    assert result.exit_code == 2
    assert "'owner' is not one of" in result.output
    assert count(User) == 0


@pytest.mark.parametrize("email, password, message", [
    ("not-an-email", "long enough pw", "is not an email address"),
    ("x@example.test", "short", "use at least 10 characters"),
    ("x@example.test", "password123", "too easy to guess"),
    ("mia.jansen@example.test", "mia.jansen@example.test", "too easy to guess"),
])
def test_users_add_refuses_bad_email_and_short_password(runner, email, password, message):
    result = invoke(runner, "users", "add", email, "--role", "hr", "--name", "X", input=f"{password}\n{password}\n")
    assert result.exit_code == 1
    assert message in result.output
    assert count(User) == 0


def test_users_token_prints_a_token_that_authenticates(runner, factory, client):
    user = factory.user("auditor")
    result = invoke(runner, "users", "token", user.email)
    assert result.exit_code == 0, result.output
    token = result.output.strip()
    assert token.startswith("aud_") and len(token) > 40
    assert client.get("/api/v1/visits", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert db.session.scalar(sa.select(ApiToken.token_hash)) != token


def test_users_token_for_an_unknown_user(runner):
    result = invoke(runner, "users", "token", "ghost@example.test")
    assert result.exit_code == 1
    assert "no user with email ghost@example.test" in result.output
    assert count(ApiToken) == 0


# --- branches ---------------------------------------------------------------------------------------------------

def test_branches_add(runner):
    result = invoke(runner, "branches", "add", "UTR-1", "--name", "Utrecht Centraal", "--city", "Utrecht",
                    "--region", "Centre")
    assert (result.exit_code, result.output) == (0, "UTR-1: added\n")
    branch = db.session.scalar(sa.select(Branch).where(Branch.code == "UTR-1"))
    assert (branch.name, branch.city, branch.region.name) == ("Utrecht Centraal", "Utrecht", "Centre")
    invoke(runner, "branches", "add", "UTR-2", "--name", "Utrecht Oost", "--region", "Centre")
    assert count(Region) == 1  # the region is shared, not created twice


@pytest.mark.parametrize("code, name, message", [
    ("has space", "X", "code: must be"),
    ("OK-1", " ", "name: is required"),
])
def test_branches_add_refuses_bad_input(runner, code, name, message):
    result = invoke(runner, "branches", "add", code, "--name", name)
    assert result.exit_code == 1
    assert message in result.output
    assert count(Branch) == 0


def test_branches_add_duplicate_code(runner, factory):
    factory.branch("UTR-1")
    result = invoke(runner, "branches", "add", "UTR-1", "--name", "Again")
    assert result.exit_code == 1
    assert "a branch with code UTR-1 exists already" in result.output
    assert count(Branch) == 1


# --- visits schedule --------------------------------------------------------------------------------------------

@pytest.fixture
def world(factory):
    factory.concept()
    factory.branch("UTR-1")
    factory.user("auditor", email="guest@example.test")
    factory.user("manager", email="boss@example.test")


def schedule(runner, **overrides):
    options = {"concept": "mini", "branch": "UTR-1", "auditor": "guest@example.test", "channel": "visit",
               "due": "2026-05-01", **overrides}
    args = [part for key, value in options.items() if value is not None for part in (f"--{key}", value)]
    return invoke(runner, "visits", "schedule", *args)


def test_visits_schedule_prints_the_id(runner, world):
    result = schedule(runner, persona="family", channel="call")
    assert result.exit_code == 0, result.output
    visit = db.session.get(Visit, int(result.output.strip()))
    assert (visit.status, visit.channel, visit.persona_key, visit.due_date.isoformat(), visit.branch.code,
            visit.auditor.email) == ("scheduled", "call", "family", "2026-05-01", "UTR-1", "guest@example.test")
    assert [(c.from_status, c.to_status) for c in visit.history] == [(None, "scheduled")]


@pytest.mark.parametrize("overrides, exit_code, message", [
    ({"concept": "nope"}, 1, "concept: no concept with key nope"),
    ({"branch": "XX"}, 1, "branch: no branch with code XX"),
    ({"auditor": "ghost@example.test"}, 1, "auditor: no auditor with email ghost@example.test"),
    ({"auditor": "boss@example.test"}, 1, "auditor: no auditor with email boss@example.test"),
    ({"persona": "pirate"}, 1, "persona: concept mini has no persona pirate"),
    ({"channel": "email"}, 2, "'email' is not one of"),
    ({"due": "01-05-2026"}, 2, "does not match the format"),
])
def test_visits_schedule_refuses_bad_input(runner, world, overrides, exit_code, message):
    result = schedule(runner, **overrides)
    assert result.exit_code == exit_code
    assert message in result.output
    assert count(Visit) == 0 and count(StatusChange) == 0


def test_visits_schedule_refuses_a_channel_the_concept_has_no_touchpoints_for(runner, world, factory):
    factory.showcase("reservation-call")
    result = schedule(runner, concept="reservation-call", channel="visit")
    assert result.exit_code == 1
    assert "channel: concept reservation-call has no touchpoints for channel visit" in result.output
    assert count(Visit) == 0


def test_visits_schedule_lists_every_mistake(runner, world):
    result = schedule(runner, branch="XX", auditor="ghost@example.test")
    assert "branch: no branch with code XX" in result.output
    assert "auditor: no auditor with email ghost@example.test" in result.output
