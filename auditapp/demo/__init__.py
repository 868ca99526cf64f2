"""The demo organisation behind `flask --app auditapp demo` and `make run`."""

from .build import DemoError, build_demo, database_is_empty
from .organisation import IMPROVING, PASSWORD, SLIDING, logins

__all__ = ["DemoError", "IMPROVING", "PASSWORD", "SLIDING", "build_demo", "database_is_empty", "logins"]
