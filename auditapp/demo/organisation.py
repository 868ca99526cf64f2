"""The demo organisation: Harbour Hotels & Kitchens, its branches and its people (plain data, no Flask)."""

from __future__ import annotations

from dataclasses import dataclass

from ..vocabulary import Role

DOMAIN = "harbour.example"
PASSWORD = "harbour-demo-2026"

# The stories the history tells (see docs/architecture.md: scores a manager would recognise).
IMPROVING = "HH-RTM"  # a new general manager took over and coached the front office
SLIDING = "HK-MST"    # the head chef left in spring and the floor team followed


@dataclass(frozen=True)
class DemoBranch:
    code: str
    kind: str  # hotel | restaurant | shop
    name: str
    city: str
    address: str
    phone: str
    region: str
    staff: tuple[str, ...]  # first names an auditor may note where the concept records staff


@dataclass(frozen=True)
class DemoPerson:
    role: Role
    email: str
    name: str
    region: str = ""  # managers answer for the branches of this region; auditors mostly visit it
    language: str | None = None  # set on the profile; None follows the browser


REGIONS = ("North", "West", "South")

BRANCHES = (
    DemoBranch("HH-GRN", "hotel", "Harbour Hotel Groningen", "Groningen",
               "Oosterhaven 12, 9711 AB Groningen", "+31 50 311 4200", "North", ("Anouk", "Sietse", "Marloes")),
    DemoBranch("HH-ZWL", "hotel", "Harbour Hotel Zwolle", "Zwolle",
               "Thorbeckegracht 41, 8011 VN Zwolle", "+31 38 421 0550", "North", ("Jesse", "Ilse", "Gerben")),
    DemoBranch("HK-LWD", "restaurant", "Harbour Kitchen Leeuwarden", "Leeuwarden",
               "Nieuwestad 88, 8911 CT Leeuwarden", "+31 58 212 3370", "North", ("Wietske", "Hylke", "Femke")),
    DemoBranch("HK-HRL", "restaurant", "Harbour Kitchen Harlingen", "Harlingen",
               "Noorderhaven 27, 8861 AK Harlingen", "+31 517 41 2290", "North", ("Tjitske", "Rients", "Lieke")),
    DemoBranch("HH-AMS", "hotel", "Harbour Hotel Amsterdam Oosterdok", "Amsterdam",
               "Oosterdokskade 150, 1011 DL Amsterdam", "+31 20 521 7700", "West", ("Sophie", "Mehmet", "Laura")),
    DemoBranch("HH-RTM", "hotel", "Harbour Hotel Rotterdam Kop van Zuid", "Rotterdam",
               "Wilhelminakade 60, 3072 AR Rotterdam", "+31 10 440 9100", "West", ("Kevin", "Naima", "Thijs")),
    DemoBranch("HK-DHG", "restaurant", "Harbour Kitchen Scheveningen", "Den Haag",
               "Dr. Lelykadestraat 34, 2583 CM Den Haag", "+31 70 350 6620", "West", ("Romy", "Youssef", "Eva")),
    DemoBranch("HK-UTR", "restaurant", "Harbour Kitchen Utrecht Oudegracht", "Utrecht",
               "Oudegracht 205, 3511 NH Utrecht", "+31 30 231 8840", "West", ("Julia", "Ruben", "Sem")),
    DemoBranch("HH-MST", "hotel", "Harbour Hotel Maastricht", "Maastricht",
               "Maasboulevard 9, 6211 JS Maastricht", "+31 43 325 1600", "South", ("Luc", "Vera", "Stijn")),
    DemoBranch("HH-ANR", "hotel", "Harbour Hotel Antwerpen Eilandje", "Antwerpen",
               "Londenstraat 20, 2000 Antwerpen", "+32 3 203 4410", "South", ("Wout", "Elke", "Jana")),
    DemoBranch("HK-MST", "restaurant", "Harbour Kitchen Maastricht", "Maastricht",
               "Stokstraat 17, 6211 GD Maastricht", "+31 43 321 9075", "South", ("Noa", "Bas", "Roel")),
    DemoBranch("HK-DBS", "restaurant", "Harbour Kitchen Den Bosch", "'s-Hertogenbosch",
               "Korte Putstraat 8, 5211 KP 's-Hertogenbosch", "+31 73 612 0930", "South", ("Fenna", "Koen", "Iris")),
    # Harbour Huis: the chain's homeware shops, audited with the Dutch retail concept (winkelbezoek).
    DemoBranch("HW-HLM", "shop", "Harbour Huis Haarlem", "Haarlem",
               "Grote Houtstraat 70, 2011 SR Haarlem", "+31 23 531 4480", "West", ("Milan", "Sara", "Jeroen")),
    DemoBranch("HW-GRN", "shop", "Harbour Huis Groningen", "Groningen",
               "Herestraat 39, 9711 LE Groningen", "+31 50 318 2260", "North", ("Nienke", "Bart", "Lotte")),
    DemoBranch("HW-GNT", "shop", "Harbour Huis Gent", "Gent",
               "Veldstraat 55, 9000 Gent", "+32 9 225 3140", "South", ("Lien", "Pieter", "Ann")),
)

PEOPLE = (
    DemoPerson(Role.ADMIN, f"admin@{DOMAIN}", "Ruben Kok"),
    DemoPerson(Role.MANAGER, f"manager.north@{DOMAIN}", "Marieke Hoekstra", "North"),
    DemoPerson(Role.MANAGER, f"manager.west@{DOMAIN}", "Pieter van den Berg", "West"),
    DemoPerson(Role.MANAGER, f"manager.south@{DOMAIN}", "Lotte Maes", "South", language="nl"),
    DemoPerson(Role.HR, f"hr@{DOMAIN}", "Esther Willems"),
    DemoPerson(Role.AUDITOR, f"guest1@{DOMAIN}", "Sanne de Vries", "North"),
    DemoPerson(Role.AUDITOR, f"guest2@{DOMAIN}", "Daan Bakker", "North"),
    DemoPerson(Role.AUDITOR, f"guest3@{DOMAIN}", "Fleur Jansen", "West", language="nl"),
    DemoPerson(Role.AUDITOR, f"guest4@{DOMAIN}", "Joris van Dijk", "West"),
    DemoPerson(Role.AUDITOR, f"guest5@{DOMAIN}", "Noor Visser", "South"),
    DemoPerson(Role.AUDITOR, f"guest6@{DOMAIN}", "Bram Smit", "South"),
)

ADMIN_EMAIL = PEOPLE[0].email


def logins() -> list[tuple[str, str]]:
    """The (role, email) pairs the demo prints; all share PASSWORD."""
    return [(p.role, p.email) for p in PEOPLE]
