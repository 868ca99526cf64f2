"""The audit log: who did what to which user, branch, concept or visit, and when (docs/architecture.md, Roles)."""
