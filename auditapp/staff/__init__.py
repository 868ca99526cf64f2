"""Staff names noted by auditors where a concept asks for them: read by HR and admins only, kept for a limited time."""
