"""The one clock the app reads, in naive UTC, so stored times compare the same on every database."""

from datetime import datetime, timezone


def utcnow() -> datetime:
    """Return the current time as naive UTC."""
    return datetime.now(timezone.utc).replace(tzinfo=None)
