"""Administering people: who may log in, in which role, for which branches — and stopping access at once."""
