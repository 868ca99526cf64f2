"""`flask --app auditapp staff purge | erase NAME` (docs/architecture.md, Interfaces)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

staff_cli = AppGroup("staff", help="Remove staff names noted by auditors.")


@staff_cli.command("purge")
def purge_command():
    """Remove notes older than AUDITAPP_STAFF_RETENTION_DAYS (default 365)."""
    from ..clock import utcnow
    from . import services

    days = current_app.config["STAFF_RETENTION_DAYS"]
    removed, cutoff = services.purge(utcnow(), days)
    click.echo(f"{removed} staff note{'s' if removed != 1 else ''} recorded before "
               f"{cutoff:%Y-%m-%d %H:%M} UTC removed (retention {days} days)")


@staff_cli.command("erase")
@click.argument("name")
def erase_command(name):
    """Remove every note that names NAME (whole words, any case)."""
    from . import services

    if not name.split():
        raise click.BadParameter("give the person's name", param_hint="NAME")
    removed = services.erase(name)
    click.echo(f"{removed} staff note{'s' if removed != 1 else ''} naming {name!r} removed")
