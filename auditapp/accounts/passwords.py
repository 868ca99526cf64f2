"""The password rule, in one place for the forms, the services and the CLI: long enough, and not guessable.

No composition rules (NIST SP 800-63B); the zxcvbn estimator refuses what is guessable — common passwords, names,
keyboard walks, the user's own name or email — and says why.
"""

from __future__ import annotations

from zxcvbn import zxcvbn

from ..domain_error import N_, Message

MIN_LENGTH = 10
MAX_LENGTH = 200
GOOD_ENOUGH = 3  # zxcvbn's score 0–4: 3 is "safely unguessable: moderate protection from offline attacks"
_ESTIMATED = 100  # zxcvbn's cost grows with length; the first 100 characters decide


def weakness(password: str, *known: str) -> Message | None:
    """Why a password may not be used, or None when it may; `known` are the user's own words (name, email)."""
    if len(password) < MIN_LENGTH:
        return Message(N_("use at least %(n)d characters"), n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return Message(N_("use at most %(n)d characters"), n=MAX_LENGTH)
    inputs = [*known, *(part for word in known for part in word.replace("@", " ").replace(".", " ").split())]
    result = zxcvbn(password[:_ESTIMATED], user_inputs=inputs)
    if result["score"] >= GOOD_ENOUGH:
        return None
    warning = result["feedback"].get("warning") or ""
    if warning:
        return Message(N_("too easy to guess: %(reason)s"), reason=warning)
    return Message(N_("too easy to guess: add another word or two; uncommon words are better"))
