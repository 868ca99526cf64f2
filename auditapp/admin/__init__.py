"""The admin's overview of users, branches and concepts; changes are made with the CLI for now."""
