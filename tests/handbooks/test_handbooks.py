"""Handbooks: every standard a role owns with its why, guidance and what good looks like, critical ones on top;
the same in the PDF; the pocket card on one page; who may read which."""

from __future__ import annotations

import html
import io
import re
from dataclasses import replace
from datetime import datetime

import pytest
from pypdf import PdfReader

from auditapp.concepts.answers import best_answer
from auditapp.concepts.definition import ScaleLabels, Standard, owners
from auditapp.handbooks.content import handbook

from ..factories import DATA
from ..reports.test_exports import pdf_text
from ..visits.test_api import COMPLETE

SHOWCASE = ("hotel-stay", "restaurant-visit", "reservation-call")


def text_of(page: str) -> str:
    """The page's words: tags dropped, entities decoded, white space collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def tagged(page: str) -> str:
    return html.unescape(page)


@pytest.mark.parametrize("key", SHOWCASE)
def test_every_standard_a_role_owns_is_on_its_page_with_why_and_guidance(factory, auth, key):
    version = factory.showcase(key)
    content = version.content
    auth.login(factory.user("hr"))
    for role in content.roles:
        page = text_of(auth.client.get(f"/handbooks/{key}/{role.key}").get_data(as_text=True))
        owned = list(content.standards_of(role.key))
        assert owned
        for _phase, tp, st in owned:
            assert st.text in page and st.why in page and st.guidance in page, (role.key, st.key)
        tags = tagged(auth.client.get(f"/handbooks/{key}/{role.key}").get_data(as_text=True))
        for _phase, tp, st in owned:
            assert f'id="standard-{st.key}"' in tags
        others = [st for _p, tp, st in (x for x in content_standards(content)) if role.key not in owners(tp, st)]
        for st in others:
            assert f'id="standard-{st.key}"' not in tags


def content_standards(content):
    for phase, tp in content.touchpoints():
        for st in tp.standards:
            yield phase, tp, st


def test_a_standard_with_its_own_roles_moves_to_that_roles_handbook(factory, auth, tmp_path):
    source = tmp_path / "own.yaml"
    source.write_text((DATA / "mini.yaml").read_text().replace(
        "{key: friendliness, text: Friendliness., type: scale, min: 1, max: 5, why: Warmth.}",
        "{key: friendliness, text: Friendliness., type: scale, min: 1, max: 5, why: Warmth., roles: [agent]}"))
    factory.concept(source)
    auth.login(factory.user("manager"))
    host = auth.client.get("/handbooks/mini/host").get_data(as_text=True)
    agent = auth.client.get("/handbooks/mini/agent").get_data(as_text=True)
    assert 'id="standard-friendliness"' in agent and 'id="standard-friendliness"' not in host
    assert 'id="standard-greeted"' in host and 'id="standard-greeted"' not in agent
    # The welcome touchpoint is now the agent's too, through that one standard.
    assert 'href="#tp-welcome"' in agent


def test_critical_standards_come_first_and_good_answers_are_named(factory, auth):
    factory.concept()
    auth.login(factory.user("hr"))
    raw = auth.client.get("/handbooks/mini/host").get_data(as_text=True)
    assert raw.index("Critical standards") < raw.index("The guest journey") < raw.index('id="standard-friendliness"')
    page = text_of(raw)
    critical = page.index("Critical standards")
    assert "Greeted within a minute." in page[critical:page.index("The guest journey")]
    assert "Greeted within a minute. critical Why: First impression. What good looks like: Yes" in page
    assert "5, the top of the scale from 1" in page
    assert "Something that fits the guest" in page
    agent = text_of(auth.client.get("/handbooks/mini/agent").get_data(as_text=True))
    assert "What good looks like: at most 1 minutes" in agent


def test_what_good_looks_like_follows_each_answer_type(factory):
    content = factory.concept().content
    good = {st.key: best_answer(st) for _tp, st in content.standards()}
    assert str(good["greeted"]) == "Yes"
    assert str(good["friendliness"]) == "5, the top of the scale from 1"
    assert good["upsell"] == "Something that fits the guest"
    assert str(good["hold"]).strip() == "at most 1 minutes"
    assert good["dish"] is None and good["pilot"] is None and good["entrance"] is None and good["wait"] is None


def test_only_the_top_of_a_scale_names_its_meaning():
    plain = Standard("s", "S.", "scale", min=0, max=10)
    assert str(best_answer(plain)) == "10, the top of the scale from 0"
    assert str(best_answer(replace(plain, labels=ScaleLabels(min="Cold")))) == "10, the top of the scale from 0"


def test_the_handbook_page_and_pdf_say_what_the_top_of_a_scale_means(factory, auth):
    factory.showcase("hotel-stay")
    auth.login(factory.user("hr"))
    page = text_of(auth.client.get("/handbooks/hotel-stay").get_data(as_text=True))
    assert "What good looks like: 5 (Warm, personal), the top of the scale from 1" in page
    pdf = " ".join(pdf_text(auth.client.get("/handbooks/hotel-stay.pdf").data).split())
    assert "5 (Warm, personal), the top of the scale from 1" in pdf


@pytest.mark.parametrize("key", SHOWCASE)
def test_the_pdf_holds_every_standard_and_the_pocket_card_one_page(factory, auth, key):
    content = factory.showcase(key).content
    auth.login(factory.user("admin"))
    for role in content.roles:
        response = auth.client.get(f"/handbooks/{key}/{role.key}.pdf")
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        text = " ".join(pdf_text(response.data).split())
        assert "Contents" in text and f"version 1" in text and "Page 1 of" in text
        for _phase, tp, st in content.standards_of(role.key):
            assert " ".join(st.text.split())[:60] in text, (role.key, st.key)
        card = auth.client.get(f"/handbooks/{key}/{role.key}/card.pdf")
        assert len(PdfReader(io.BytesIO(card.data)).pages) == 1, role.key
        card_text = " ".join(pdf_text(card.data).split())
        for stop in handbook(content, 1, role.key).owned:
            assert stop.name in card_text
    whole = pdf_text(auth.client.get(f"/handbooks/{key}.pdf").data)
    assert content.name in whole


def test_the_card_of_the_busiest_role_still_fits_one_page(factory, auth):
    content = factory.showcase("hotel-stay").content
    busiest = max(content.roles, key=lambda r: len(list(content.standards_of(r.key))))
    auth.login(factory.user("hr"))
    card = auth.client.get(f"/handbooks/hotel-stay/{busiest.key}/card.pdf")
    assert len(PdfReader(io.BytesIO(card.data)).pages) == 1


def test_an_auditor_reads_the_handbooks_of_the_concepts_they_audit_only(factory, auth):
    mini = factory.concept()
    factory.showcase("hotel-stay")
    auditor = factory.user("auditor")
    factory.visit(version=mini, auditor=auditor)
    auth.login(auditor)
    assert auth.client.get("/handbooks/mini/host").status_code == 200
    assert auth.client.get("/handbooks/mini/host/card.pdf").status_code == 200
    assert auth.client.get("/handbooks/hotel-stay").status_code == 404
    assert auth.client.get("/handbooks/hotel-stay/receptionist.pdf").status_code == 404
    index = auth.client.get("/handbooks/").get_data(as_text=True)
    assert "/handbooks/mini" in index and "/handbooks/hotel-stay" not in index
    assert "Role scores" not in index


@pytest.mark.parametrize("path", ["/handbooks/nope", "/handbooks/mini/nobody", "/handbooks/mini/nobody.pdf",
                                  "/handbooks/mini/nobody/card.pdf", "/handbooks/MINI%00", "/handbooks/" + "x" * 300])
def test_unknown_concepts_and_roles_are_404(factory, auth, path):
    factory.concept()
    auth.login(factory.user("hr"))
    assert auth.client.get(path).status_code == 404


def test_report_readers_see_the_chains_curve_and_auditors_do_not(factory, auth):
    version = factory.concept()
    branch = factory.branch("AMS")
    auditor = factory.user("auditor")
    for day in (3, 10):
        factory.approved(factory.visit(version=version, branch=branch, auditor=auditor),
                         {**COMPLETE, "greeted": "yes" if day == 3 else "no"}, visited_at=datetime(2026, 4, day, 12))
    auth.login(factory.user("hr"))
    page = auth.client.get("/handbooks/mini/host").get_data(as_text=True)
    assert "How the branches deliver it now" in page and "<svg" in page and "2026-Q2" in page
    auth.logout()
    auth.login(auditor)
    page = auth.client.get("/handbooks/mini/host").get_data(as_text=True)
    assert "How the branches deliver it now" not in page and "<svg" not in page


def test_anonymous_readers_are_sent_to_login(client):
    assert client.get("/handbooks/").status_code == 302
