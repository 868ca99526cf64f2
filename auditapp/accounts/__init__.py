"""Users, login, roles and scope."""
