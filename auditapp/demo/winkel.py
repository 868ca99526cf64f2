"""What a Dutch mystery guest writes about a Harbour Huis shop (winkelbezoek): remarks, answers and comments."""

from __future__ import annotations

from ..vocabulary import Band

TEXTS = {
    "aangeraden-artikel": [
        "Een set van vier espressokopjes, omdat mijn collega graag koffie zet in het nieuwe huis.",
        "Een houten snijplank met gravure; de medewerker liet zien dat er een naam in kan.",
        "De goedkopere pannenset, met uitleg dat de duurdere alleen op inductie beter is.",
        "Niets specifieks: 'kijkt u maar even rond'.",
        "Een plaid en een geurkaars, 'voor de eerste avond in het nieuwe huis'.",
    ],
}
FAIL_COMMENTS = {
    "begroet-binnen-30": ["Twee medewerkers stonden te praten bij de kassa en keken niet op."],
    "open-vragen": ["Ik kreeg meteen het duurste artikel aangewezen, zonder één vraag."],
    "bon-aangeboden": ["De bon ging zonder te vragen in de tas; een e-mailbon werd niet genoemd."],
    "etalage-actueel": ["In de etalage stond nog de zomeractie, met verbleekte posters."],
}
REMARKS = {
    Band.GOOD: ["Een prettig bezoek: ik werd gezien, goed geadviseerd en hartelijk uitgezwaaid.",
                "Heel goed; alleen bij de kassa moest ik even wachten."],
    Band.FAIR: ["Vriendelijk team, maar het advies bleef algemeen en niemand vroeg waarvoor ik het zocht.",
                "Redelijk bezoek; de winkel was rommelig en de rij bij de kassa liep niet door."],
    Band.POOR: ["Ik heb me niet welkom gevoeld: niemand sprak me aan en bij de kassa werd niets gevraagd.",
                "Teleurstellend; het advies was een gok en bij de retour moest ik me verantwoorden."],
}
NOTHING_TO_ADD = "Niets bijzonders toe te voegen."
NOT_DONE = "Niet gedaan."


def off_target(value: object, unit: str, limit: str) -> str:
    """A measured number that missed its target, as the guest notes it."""
    return f"{value}{unit}, terwijl de norm hoogstens {limit}{unit} is." if limit else f"Maar {value}{unit}."
