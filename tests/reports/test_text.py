"""Report words go through a translator: PDFs and charts speak the request's language, English without one."""

from __future__ import annotations

import ast
import io
from pathlib import Path

import flask_babel
import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from pypdf import PdfReader

from auditapp.policy import ANYONE, POLICY
from auditapp.reports.charts import journey_curve
from auditapp.reports.svg import to_svg
from auditapp.reports.content import CurvePoint
from auditapp.reports.pdf import visit_report_pdf
from auditapp.reports.text import ENGLISH, TRANSLATOR, _, ngettext, use_translator

from .conftest import build_visit_report

DUTCH = {
    "Page %(page)d of %(pages)d": "Pagina %(page)d van %(pages)d",
    "Peak": "Piek",
    "Visit score": "Bezoekscore",
    "%(num)d critical failure": "%(num)d kritieke fout",
    "%(num)d critical failures": "%(num)d kritieke fouten",
}
REPORTS = Path(__file__).resolve().parents[2] / "auditapp" / "reports"


def dutch(message: str) -> str:
    return DUTCH.get(message, message)


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def curve_svg() -> str:
    points = [CurvePoint(key="greeting", label="Greeting", phase="Arrival", score=95.0, marks=frozenset({"peak"})),
              CurvePoint(key="check-in", label="Check-in", phase="Arrival", score=40.0,
                         marks=frozenset({"low", "end"}))]
    return to_svg(journey_curve(points, good=80, poor=60))


def test_visit_pdf_speaks_the_translator_and_english_without_one(make_visit_report):
    report = make_visit_report()
    with use_translator(dutch):
        translated = pdf_text(visit_report_pdf(report))
    english = pdf_text(visit_report_pdf(report))
    pages = len(PdfReader(io.BytesIO(visit_report_pdf(report))).pages)
    assert "Pagina 1 van" in translated and f"Pagina {pages} van {pages}" in translated
    assert "Bezoekscore" in translated and "1 kritieke fout" in translated
    assert "Page 1 of" not in translated and "Visit score" not in translated
    assert "Page 1 of" in english and "Visit score" in english and "1 critical failure" in english
    assert "Pagina" not in english


def test_chart_svg_speaks_the_translator():
    with use_translator(dutch, locale="nl"):
        translated = curve_svg()
    english = curve_svg()
    assert "Piek 95,0" in translated and "Peak" not in translated
    assert "Peak 95.0" in english and "Piek" not in english


def test_translator_is_reset_after_the_block_even_on_error():
    assert TRANSLATOR.get() is ENGLISH
    with pytest.raises(RuntimeError):
        with use_translator(str.upper):
            with use_translator(dutch):
                assert _("Peak") == "Piek"
            assert _("Peak") == "PEAK"
            raise RuntimeError
    assert TRANSLATOR.get() is ENGLISH and _("Peak") == "Peak"


def test_params_and_plurals_are_filled_in_after_translation():
    assert _("100 %") == "100 %"  # like Flask-Babel: no params, no % formatting
    assert _("Page %(page)d of %(pages)d", page=2, pages=3) == "Page 2 of 3"
    assert ngettext("%(num)d critical failure", "%(num)d critical failures", 2) == "2 critical failures"
    with use_translator(dutch):  # no ngettext given: the English rule picks the form, gettext translates it
        assert _("Page %(page)d of %(pages)d", page=2, pages=3) == "Pagina 2 van 3"
        assert ngettext("%(num)d critical failure", "%(num)d critical failures", 1) == "1 kritieke fout"


@pytest.mark.parametrize("module", ["text.py", "pdf.py", "charts.py"])
def test_report_modules_stay_free_of_flask(module):
    tree = ast.parse((REPORTS / module).read_text())
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not [name for name in imported if name.split(".")[0].startswith("flask")]


@pytest.fixture
def dutch_app(make_app, tmp_path, monkeypatch):
    """An app that ships a small Dutch catalogue, with one route that renders a report PDF and a chart."""
    catalog = Catalog(locale="nl")
    for message, translation in DUTCH.items():
        catalog.add(message, translation)
    catalog.add(("%(num)d critical failure", "%(num)d critical failures"),
                ("%(num)d kritieke fout", "%(num)d kritieke fouten"))
    folder = tmp_path / "translations" / "nl" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with open(folder / "messages.mo", "wb") as f:
        write_mo(f, catalog)
    app = make_app(f"sqlite:///{tmp_path / 'unused.sqlite'}", LANGUAGES=("en", "nl"),
                   BABEL_TRANSLATION_DIRECTORIES=str(tmp_path / "translations"))
    seen = []

    def render():
        seen.append(TRANSLATOR.get())
        return {"pdf": pdf_text(visit_report_pdf(build_visit_report())), "svg": curve_svg()}

    app.add_url_rule("/test/report-text", "report_text", render)
    monkeypatch.setitem(POLICY, "report_text", ANYONE)  # a test's own route: open, like any route it declares
    app.seen = seen
    return app


def test_a_request_renders_reports_with_flask_babel_in_its_language(dutch_app):
    client = dutch_app.test_client()
    dutch_body = client.get("/test/report-text", headers={"Accept-Language": "nl"}).get_json()
    english_body = client.get("/test/report-text", headers={"Accept-Language": "en"}).get_json()
    assert all(t.gettext is flask_babel.gettext for t in dutch_app.seen)
    assert [str(t.locale) for t in dutch_app.seen] == ["nl", "en"]
    assert "Pagina 1 van" in dutch_body["pdf"] and "1 kritieke fout" in dutch_body["pdf"]
    # Dates and numbers follow the locale too: Dutch month names, day first, a 24-hour clock, a decimal comma.
    assert "14 apr 2026, 19:30" in dutch_body["pdf"] and "73,4" in dutch_body["pdf"]
    assert "Piek 95,0" in dutch_body["svg"]
    assert "Page 1 of" in english_body["pdf"] and "Peak 95.0" in english_body["svg"]
    assert "Apr 14, 2026, 7:30 PM" in english_body["pdf"] and "73.4" in english_body["pdf"]
    assert TRANSLATOR.get() is ENGLISH  # the request's translator went with the request

