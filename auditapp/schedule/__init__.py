"""Planning the audit programme: single visits and rounds (a concept × branches × month), auditors assigned evenly."""
