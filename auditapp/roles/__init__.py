"""Role scores: how the staff roles a concept names deliver their standards, per branch and period, judged fairly."""
