"""The `flask --app auditapp …` commands (docs/architecture.md, Interfaces); each is a thin call into a service."""

from __future__ import annotations

import sys
from datetime import date

import click
from flask import Flask
from flask.cli import AppGroup

from .vocabulary import Channel, Role

concepts_cli = AppGroup("concepts", help="Check and import service concept files.")
users_cli = AppGroup("users", help="Manage users and API tokens.")
branches_cli = AppGroup("branches", help="Manage branches.")
visits_cli = AppGroup("visits", help="Schedule visits.")


def _concept_files(paths):
    """Expand the arguments to concept files; a folder without any is a mistake, not a silent success."""
    from .concepts.loader import expand_paths

    files = expand_paths(paths)
    if not files:
        raise click.ClickException(f"no concept files (*.yaml, *.yml) in {', '.join(paths)}")
    return files


def _load_each(paths):
    """Yield (path, loaded concept) for every valid file, printing every mistake of the others."""
    from .concepts.loader import ConceptFileInvalid, load_file

    for path in _concept_files(paths):
        try:
            yield path, load_file(path)
        except ConceptFileInvalid as exc:
            for error in exc.errors:
                click.echo(str(error), err=True)
            yield path, None


@concepts_cli.command("check")
@click.argument("paths", nargs=-1, required=True)
def concepts_check(paths):
    """Validate concept files; exit 1 and print every error."""
    failed = False
    for path, loaded in _load_each(paths):
        if loaded is None:
            failed = True
            continue
        n_tp = sum(1 for _ in loaded.concept.touchpoints())
        n_st = sum(1 for _ in loaded.concept.standards())
        click.echo(f"{path}: ok ({loaded.concept.key}: {len(loaded.concept.phases)} phases, "
                   f"{n_tp} touchpoints, {n_st} standards)")
    sys.exit(1 if failed else 0)


@concepts_cli.command("import")
@click.argument("paths", nargs=-1, required=True)
def concepts_import(paths):
    """Validate and import concept files; a changed file becomes a new version."""
    from .concepts.services import import_concept

    failed = False
    for _path, loaded in _load_each(paths):
        if loaded is None:
            failed = True
            continue
        click.echo(str(import_concept(loaded)))
    sys.exit(1 if failed else 0)


def _read_password() -> str:
    """Prompt twice at a terminal; from a pipe take one line, so scripts can `echo pw | flask users add …`."""
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    line = sys.stdin.readline()
    if not line:
        raise click.ClickException("no password on standard input")
    return line.rstrip("\r\n")


@users_cli.command("add")
@click.argument("email")
@click.option("--role", required=True, type=click.Choice([role.value for role in Role]))
@click.option("--name", required=True)
@click.option("--branch", "branches", multiple=True, help="Branch code a manager answers for (repeatable).")
def users_add(email, role, name, branches):
    """Create a user; the password is read from stdin or a prompt."""
    from .accounts.services import AccountError, NewUser, add_user

    password = _read_password()
    try:
        user = add_user(NewUser(email=email, name=name, role=role, password=password, branch_codes=branches))
    except AccountError as exc:
        raise click.ClickException(f"{exc.field}: {exc.message}") from None
    click.echo(f"{user.email}: {user.role} added")


@users_cli.command("token")
@click.argument("email")
def users_token(email):
    """Print a new personal API token for that user."""
    from .accounts.services import AccountError, issue_token

    try:
        click.echo(issue_token(email))
    except AccountError as exc:
        raise click.ClickException(exc.message) from None


@branches_cli.command("add")
@click.argument("code")
@click.option("--name", required=True)
@click.option("--city", default="")
@click.option("--region", default="")
@click.option("--address", default="")
@click.option("--phone", default="")
def branches_add(code, name, city, region, address, phone):
    """Create a branch."""
    from .branches.services import NewBranch, add_branch
    from .domain_error import DomainError

    try:
        branch = add_branch(NewBranch(code=code, name=name, city=city, region=region, address=address, phone=phone))
    except DomainError as exc:
        raise click.ClickException("; ".join(f"{k}: {v}" for k, v in exc.fields.items()) or str(exc.message)) from None
    click.echo(f"{branch.code}: added")


@visits_cli.command("schedule")
@click.option("--concept", "concept_key", required=True)
@click.option("--branch", "branch_code", required=True)
@click.option("--auditor", "auditor_email", required=True)
@click.option("--channel", required=True, type=click.Choice([channel.value for channel in Channel]))
@click.option("--due", required=True, type=click.DateTime(formats=["%Y-%m-%d"]))
@click.option("--persona", "persona_key", default=None)
def visits_schedule(concept_key, branch_code, auditor_email, channel, due, persona_key):
    """Create a scheduled visit and print its id."""
    from .domain_error import DomainError
    from .visits.commands import ScheduleVisit
    from .visits.services import schedule_visit

    try:
        visit = schedule_visit(ScheduleVisit(concept_key, branch_code, auditor_email, channel,
                                             date.fromordinal(due.toordinal()), persona_key))
    except DomainError as exc:
        raise click.ClickException("; ".join(f"{k}: {v}" for k, v in exc.fields.items()) or str(exc.message)) from None
    click.echo(visit.id)


@click.command("demo")
@click.option("--seed", default=7, show_default=True, help="Random seed, so the demo is the same every time.")
@click.option("--if-empty", is_flag=True, help="Do nothing (and succeed) when the database already has data.")
def demo_command(seed, if_empty):
    """Fill an empty database with a believable demo organisation and a year of history."""
    from .demo import PASSWORD, DemoError, build_demo, database_is_empty

    if if_empty and not database_is_empty():
        click.echo("Database already has data; demo skipped.")
        logins = build_demo(seed=seed, if_empty=True)
    else:
        try:
            logins = build_demo(seed=seed)
        except DemoError as exc:
            raise click.ClickException(str(exc)) from None
        click.echo("Demo organisation created.")
    if logins:
        click.echo(f"Demo logins (password for all: {PASSWORD}):")
        for role, email in logins:
            click.echo(f"  {role:<8} {email}")


def init_cli(app: Flask) -> None:
    from .staff.cli import staff_cli

    for command in (concepts_cli, users_cli, branches_cli, visits_cli, staff_cli, demo_command):
        app.cli.add_command(command)
