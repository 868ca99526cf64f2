"""Generate believable answers for a visit's form from a quality level (pure: no Flask, no database).

A quality q in [0, 1] is the chance that staff meet a standard, so a touchpoint scores about 100 · q; comments and
n/a follow what a mystery guest would really write.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from typing import Any, Callable

from ..concepts.definition import Concept, Phase, Standard, Touchpoint
from ..scoring import band
from ..vocabulary import Band
from . import winkel

Quality = Callable[[Phase, Touchpoint], float]

# Standards that only apply to some personas: for the others the auditor answers n/a.
APPLIES_TO = {
    "checkin-occasion": {"anniversary"},
    "checkout-invoice": {"business"},
    "allergy-dish-correct": {"allergy-family"},
    "wine-presented": {"anniversary", "allergy-family"},
    "wine-temperature": {"anniversary", "allergy-family"},
    "wine-price": {"anniversary"},
    "sommelier-visit": {"anniversary"},
    "undecided-handled": {"undecided-family"},
    "dietary-asked": {"anniversary-dinner", "undecided-family"},
    "card-handling": {"business-booker", "anniversary-dinner"},
    "call-rate-quoted": {"business-booker", "undecided-family"},
}
# How often an optional standard is simply not applicable, when the persona does not decide it.
NA_CHANCE = {
    "checkin-digital-key": 0.7, "hold-minutes": 0.6, "hold-asked": 0.6, "luggage-help": 0.3,
    "review-reply-days": 0.35, "review-reply-quality": 0.35, "review-reply-screenshot": 0.5,
    "restaurant-review-reply-days": 0.35, "restaurant-review-reply-personal": 0.35,
    "room-refreshed": 0.4, "welcome-coats": 0.4, "rewards-points": 0.3, "call-confirmation-screenshot": 0.6,
}
DEFAULT_NA_CHANCE = 0.05

# Numbers without a target are recorded, not scored: keep them in a believable range.
UNTARGETED = {"res-rate-quoted": (139, 229), "call-rate-quoted": (129, 219), "wine-price": (34, 58),
              "loyalty-offer-days": (5, 30)}

TEXTS = {
    "concierge-recommendation": [
        "Suggested a small bistro along the quay and phoned ahead for a table at 19:30.",
        "Recommended the hotel's own restaurant only, without asking what we liked.",
        "Gave a printed list of restaurants; no personal suggestion.",
        "Suggested a fish restaurant ten minutes' walk away and marked it on a map.",
        "Offered a wine bar with a terrace and mentioned it fills up after eight.",
    ],
    "dish-recommended": [
        "The North Sea plaice with brown shrimps, 'the chef's favourite this week'.",
        "The risotto, because it can be made without nuts.",
        "Nothing: 'everything is nice'.",
        "The slow-cooked beef cheek, with a glass of Côtes du Rhône to match.",
        "The catch of the day, explained with where it was landed.",
    ],
    "call-memorable": [
        "The agent remembered my name from the start and used it twice without overdoing it.",
        "Background noise from the bar made it hard to hear the agent.",
        "Offered to send photos of the family room by email, which arrived within ten minutes.",
        "Nothing stood out; a correct but flat call.",
        "The agent laughed with me about the school holidays and felt genuinely helpful.",
    ],
}

FAIL_COMMENTS = {
    "website-rates-visible": ["Rates only shown after entering card details."],
    "website-practical-info": ["No parking information anywhere on the site."],
    "reviews-replied": ["Last ten reviews have no reply at all, including two complaints."],
    "res-needs-asked": ["Agent went straight to the price without asking why I was travelling."],
    "res-recap": ["No summary at the end; I had to ask for the dates again."],
    "confirmation-complete": ["Confirmation did not mention the cancellation terms."],
    "pre-arrival-message": ["No message before arrival."],
    "entrance-clean": ["Cigarette ends by the entrance and a full bin next to the door."],
    "luggage-help": ["Porter was on the phone and did not look up."],
    "checkin-acknowledged": ["Receptionist finished a phone call of several minutes before looking up."],
    "checkin-name-used": ["My name was on the screen but never used."],
    "checkin-key-security": ["Room number said out loud in a busy lobby and written on the key wallet."],
    "checkin-hotel-info": ["Breakfast times only given after I asked."],
    "checkin-occasion": ["The anniversary was in the booking but nobody mentioned it."],
    "room-clean": ["Used glass on the bedside table and crumbs on the desk."],
    "room-as-booked": ["Booked a quiet room away from the lift; got the room opposite it."],
    "room-fire-plan": ["No evacuation plan on the back of the door."],
    "room-personal-touch": ["Nothing in the room for the occasion."],
    "bathroom-clean": ["Hair in the shower drain and limescale on the tap; see photo."],
    "bathroom-amenities": ["No conditioner and only one bath towel for two guests."],
    "housekeeping-courtesy": ["Housekeeping knocked once and came straight in."],
    "concierge-tailored": ["Same list of restaurants given to the couple before us."],
    "breakfast-greeting": ["Nobody at the breakfast entrance; we found a table ourselves."],
    "breakfast-buffet-hygiene": ["Tongs left in the scrambled eggs; no sneeze guard over the cold meats."],
    "breakfast-allergen-info": ["Server guessed the granola was nut-free without checking the label."],
    "checkout-feedback-asked": ["'Everything OK?' while already printing the bill; no real question."],
    "checkout-bill-correct": ["Minibar charge for items we never took; corrected after I pointed it out."],
    "checkout-invoice": ["Company name missing from the invoice although I gave it at check-in."],
    "checkout-farewell": ["No goodbye; the receptionist turned to the next guest."],
    "followup-personal": ["Standard newsletter-style email, not addressed to me."],
    "followup-review-invite": ["No invitation to share feedback."],
    "loyalty-invite": ["Harbour Rewards not mentioned at check-in, check-out or in the email."],
    "menu-online": ["Menu on the website is last season's."],
    "allergen-statement-online": ["No allergen statement on the website."],
    "booking-requests-asked": ["Not asked about the occasion or dietary needs when booking."],
    "restaurant-entrance-tidy": ["Menu board faded and a broken light above the door."],
    "welcome-booking-found": ["Booking could not be found at first; host had to search for several minutes."],
    "welcome-table-ready": ["Table was still being laid when we were seated."],
    "allergens-asked": ["Nobody asked about allergies, even when ordering for the child."],
    "order-repeated": ["Order not repeated; the side dish was missing later."],
    "allergy-dish-correct": ["Dessert came with a praline crumble although I said 'tree nuts'."],
    "dishes-announced": ["Plates put down without a word."],
    "check-back": ["No check-back after the main course was served."],
    "cutlery-glasses-clean": ["Water spots on the glasses; one fork with dried food."],
    "toilets-clean": ["No paper, wet floor and an overflowing bin in the ladies' toilet; see photo."],
    "bill-correct": ["Two glasses of wine on the bill that we had not ordered."],
    "payment-smooth": ["Card machine did not work at the table; had to pay at the bar."],
    "feedback-asked": ["Nobody asked how the evening was."],
    "farewell-invite-back": ["No goodbye at the door."],
    "thank-you-feedback-link": ["No feedback link in the email."],
    "restaurant-review-reply-personal": ["Copy-paste reply: 'Thank you for your review, we hope to see you again.'"],
    "call-greeting-complete": ["Answered with 'Hello?' only: no hotel name, no own name."],
    "caller-name-used": ["Took my name for the booking but never used it."],
    "purpose-asked": ["Did not ask what the stay or dinner was for."],
    "dietary-asked": ["Not asked about dietary needs, although this was a dinner booking."],
    "offer-fits": ["Offered the standard room although I said we travel with two children."],
    "undecided-handled": ["No offer to hold the room or to send information; 'just book online'."],
    "details-spelled": ["My surname was not spelled back and came out wrong in the confirmation."],
    "cancellation-explained": ["Cancellation terms not mentioned."],
    "card-handling": ["Asked me to read out the full card number and security code on the phone."],
    "call-recap": ["No recap of the booking at the end."],
    "call-anything-else": ["Call ended abruptly after the booking."],
    "call-farewell": ["No thank-you; the agent simply hung up."],
    "call-confirmation-correct": ["Confirmation shows the wrong arrival date."],
}
PASS_COMMENTS = {
    "checkin-occasion": ["Card and a small bottle of bubbles in the room for the anniversary."],
    "checkin-warmth": ["Genuinely warm welcome; asked how the journey was."],
    "concierge-tailored": ["Asked what we like before suggesting anything."],
    "breakfast-allergen-info": ["Server checked every label with the chef before answering."],
    "allergens-asked": ["Waiter asked about allergies before we had mentioned the child's."],
    "allergy-dish-correct": ["Dessert announced as nut-free by the chef himself."],
    "checkout-feedback-asked": ["Asked what one thing would have made the stay better, and wrote it down."],
    "farewell-invite-back": ["Host held the door and mentioned the new autumn menu."],
    "offer-fits": ["Suggested the family room with the sofa bed straight away."],
    "card-handling": ["Sent a secure payment link instead of asking for the card number."],
    "loyalty-invite": ["Explained Harbour Rewards briefly and without pressure."],
}
NA_COMMENTS = {
    "luggage-help": ["Only a small trolley case."],
    "checkin-digital-key": ["No digital key offered at this hotel."],
    "review-reply-days": ["No review posted this time."],
    "restaurant-review-reply-days": ["No review posted this time."],
    "hold-minutes": ["Not put on hold."],
    "wine-presented": ["No wine ordered."],
}
REMARKS = {
    Band.GOOD: [
        "A smooth visit with a team that was visibly proud of the place.",
        "Very good overall; small slips only in the follow-up.",
        "Warm, attentive service throughout. The team clearly knows the standard.",
    ],
    Band.FAIR: [
        "Friendly team, but busy and not always attentive; details were missed.",
        "A correct visit without highlights; the after-care was weak.",
        "Good start, but the evening shift was clearly understaffed.",
    ],
    Band.POOR: [
        "Staff seemed rushed and uninterested; several basics were missed.",
        "Disappointing visit: long waits and little eye contact.",
        "The team did not seem to know the standards; nobody took ownership.",
    ],
}


@dataclass
class Sheet:
    """The answers, staff names and remarks an auditor would send in for one visit."""

    answers: list[dict[str, Any]] = field(default_factory=list)
    staff: list[dict[str, str]] = field(default_factory=list)
    remarks: str = ""
    failures: list[str] = field(default_factory=list)


def clip(q: float, low: float = 0.03, high: float = 0.98) -> float:
    return max(low, min(high, q))


def fill(form: Concept, rng: random.Random, quality: Quality, persona: str | None, *,
         fail: str | None = None, staff_names: tuple[str, ...] = (), limit: int | None = None) -> Sheet:
    """Answer the form the way staff of this quality would be judged; `fail` forces one critical failure."""
    sheet = Sheet()
    dutch = form.language.startswith("nl")  # a Dutch concept gets a Dutch guest's words (demo/winkel.py)
    qualities = []
    for phase, tp in form.touchpoints():
        q = clip(quality(phase, tp))
        qualities.append(q)
        for st in tp.standards:
            if limit is not None and len(sheet.answers) >= limit:
                break
            item = _answer(st, q, rng, persona, forced_fail=st.key == fail, dutch=dutch)
            if item is not None:
                sheet.answers.append(item)
        if tp.record_staff and staff_names and rng.random() < 0.6:
            sheet.staff.append({"touchpoint": tp.key, "name": rng.choice(staff_names)})
    mean = sum(qualities) / len(qualities) if qualities else 0
    sheet.remarks = rng.choice((winkel.REMARKS if dutch else REMARKS)[band(100 * mean, form.good, form.poor)])
    return sheet


def _answer(st: Standard, q: float, rng: random.Random, persona: str | None, *, forced_fail: bool,
            dutch: bool = False) -> dict | None:
    fails = winkel.FAIL_COMMENTS if dutch else FAIL_COMMENTS
    if forced_fail:
        return {"standard": st.key, "value": "no",
                "comment": rng.choice(fails.get(st.key, [winkel.NOT_DONE if dutch else "Not done."]))}
    if st.na and _not_applicable(st, rng, persona):
        comments = NA_COMMENTS.get(st.key)
        comment = rng.choice(comments) if comments and rng.random() < 0.5 else ""
        return {"standard": st.key, "value": "na", "comment": comment}
    if st.critical:
        # Critical failures are rare events the caller plans; everywhere else the basics hold.
        q = 1.0
    value, met = _value(st, q, rng, dutch)
    if value is None:
        return None
    return {"standard": st.key, "value": value, "comment": _comment(st, value, met, rng, dutch)}


def _not_applicable(st: Standard, rng: random.Random, persona: str | None) -> bool:
    if st.key in APPLIES_TO:
        return persona not in APPLIES_TO[st.key]
    return rng.random() < NA_CHANCE.get(st.key, DEFAULT_NA_CHANCE)


def _value(st: Standard, q: float, rng: random.Random, dutch: bool = False) -> tuple[Any, bool | None]:
    """Return (value, met) where met says whether the answer meets the standard (None when unscored)."""
    if st.type == "yesno":
        met = rng.random() < q
        return ("yes" if met else "no"), met
    if st.type == "scale":
        low, high = st.min or 1, st.max or 5
        s = clip(q + rng.gauss(0, 0.12), 0.0, 1.0)
        value = int(round(low + s * (high - low)))
        return value, value > low + (high - low) / 2
    if st.type == "choice":
        aim = clip(q + rng.gauss(0, 0.15), 0.0, 1.0)
        option = min(st.options, key=lambda o: (abs(o.score - aim), -o.score))
        return option.key, option.score >= 0.5
    if st.type == "number":
        if st.target is None:
            low, high = UNTARGETED.get(st.key, (1, 30))
            return rng.randint(low, high), None
        met = rng.random() < q
        return _number(st, met, rng), met
    if st.type == "text":
        texts = winkel.TEXTS if dutch else TEXTS
        return rng.choice(texts.get(st.key, [winkel.NOTHING_TO_ADD if dutch else "Nothing special to add."])), None
    return None, None  # photo standards are answered with photos


def _number(st: Standard, met: bool, rng: random.Random) -> int:
    """A measured number close to the target: inside it when met, somewhat over it when missed."""
    t = st.target
    top = math.floor(t.max) if t.max is not None else None
    bottom = math.ceil(t.min) if t.min is not None else None
    if met:
        low = bottom if bottom is not None else (0 if (top or 0) <= 3 else math.ceil(top * 0.3))
        high = top if top is not None else (bottom or 1) * 2
        return rng.randint(low, max(low, high))
    if top is not None:
        return rng.randint(top + 1, max(top + 1, math.ceil(top * 2.2)))
    return rng.randint(0, max(0, bottom - 1))


def _comment(st: Standard, value: Any, met: bool | None, rng: random.Random, dutch: bool = False) -> str:
    if met is False:
        if st.type == "number" and rng.random() < 0.6:
            unit = f" {st.unit}" if st.unit else ""
            if dutch:
                return winkel.off_target(value, unit, _fmt(st.target.max))
            return f"{value}{unit}, against a standard of at most {_fmt(st.target.max)}{unit}." \
                if st.target.max is not None else f"Only {value}{unit}."
        comments = (winkel.FAIL_COMMENTS if dutch else FAIL_COMMENTS).get(st.key)
        if comments and rng.random() < 0.55:
            return rng.choice(comments)
    elif met and rng.random() < 0.12:
        comments = None if dutch else PASS_COMMENTS.get(st.key)
        if comments:
            return rng.choice(comments)
    return ""


def _fmt(number: float | None) -> str:
    return "" if number is None else (str(int(number)) if float(number).is_integer() else f"{number:g}")
