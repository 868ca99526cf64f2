"""Photo upload handling: decoding, cleaning and storing auditors' photos."""
