"""Visit and branch report PDFs: content, escaping, page numbers and photos embedded byte for byte."""

from __future__ import annotations

import io
import re
from pathlib import Path

from pypdf import PdfReader
from reportlab import rl_config

from auditapp.reports.content import PhotoItem
from auditapp.reports.branch_pdf import branch_report_pdf
from auditapp.reports.pdf import visit_report_pdf

from .conftest import HOSTILE_COMMENT, UNCLOSED_TAG, UNICODE_COMMENT


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def images_of(pdf: bytes) -> list[tuple[list[str], bytes]]:
    """Every distinct image XObject as (filters, raw stream bytes)."""
    seen, out = set(), []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        xobjects = page.get("/Resources", {}).get("/XObject", {})
        for ref in xobjects.values():
            obj = ref.get_object()
            if obj.get("/Subtype") != "/Image" or ref.idnum in seen:
                continue
            seen.add(ref.idnum)
            filters = obj.get("/Filter")
            filters = [str(f) for f in filters] if isinstance(filters, list) else [str(filters)]
            out.append((filters, obj._data))
    return out


def test_visit_pdf_shows_branch_score_and_page_numbers(make_visit_report):
    pdf = visit_report_pdf(make_visit_report())
    assert pdf.startswith(b"%PDF")
    text = text_of(pdf)
    assert "Hotel Centraal" in text
    assert "73.4" in text and "73.41" not in text
    assert "Page 1 of" in text
    n = len(PdfReader(io.BytesIO(pdf)).pages)
    assert f"Page {n} of {n}" in text


def test_visit_pdf_lists_cover_facts_standards_and_history(make_visit_report):
    text = text_of(visit_report_pdf(make_visit_report()))
    for expected in ("Hotel stay, version 2", "On-site visit", "Business traveller", "Apr 14, 2026, 7:30 PM",
                     "Guest 7", "FAIR", "CRITICAL FAILURES (1)", "The ID is checked.", "Greeting at reception",
                     "12 minutes", "75.0", "Peak 100.0", "Low · End 0.0", "Pleasant stay.", "Review history",
                     "M. de Vries", "Approved"):
        assert expected in text, expected


def test_user_text_prints_literally(make_visit_report):
    text = text_of(visit_report_pdf(make_visit_report()))
    assert HOSTILE_COMMENT in text
    assert UNCLOSED_TAG in text
    assert UNICODE_COMMENT in text
    assert "The bar <i>closed</i> early & nobody said so." in text
    assert "Reviewed – thanks <b>" in text


def test_hostile_text_in_every_field_does_not_break_the_build(make_visit_report):
    nasty = '<para><font color="[[[x]]]"><img src="/etc/passwd"/>&nbsp;&#0;\x00\x1b</para>'
    report = make_visit_report(branch_name=nasty, city=nasty, concept_name=nasty, persona=nasty, auditor=nasty,
                               remarks=nasty, critical_failures=(nasty,))
    text = text_of(visit_report_pdf(report))
    assert '<font color="[[[x]]]"><img src="/etc/passwd"/>&nbsp;&#0;' in text


def test_title_metadata_names_the_visit(make_visit_report):
    meta = PdfReader(io.BytesIO(visit_report_pdf(make_visit_report()))).metadata
    assert "Hotel Centraal" in meta.title and "42" in meta.title
    assert "Guest" not in (meta.author or "")  # the auditor stays out of the metadata


def test_pdfs_carry_their_language_and_show_their_title(make_visit_report, make_branch_report):
    """WCAG for PDFs (PDF16, PDF18): /Lang in the catalog, and viewers show the title rather than the file name."""
    from auditapp.reports.text import use_translator

    for locale, tag in (("en", "en"), ("nl_NL", "nl-NL")):
        with use_translator(lambda m: m, locale=locale):
            pdfs = [visit_report_pdf(make_visit_report()), branch_report_pdf(make_branch_report())]
        for pdf in pdfs:
            catalog = PdfReader(io.BytesIO(pdf)).trailer["/Root"]
            assert catalog["/Lang"] == tag
            assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])


def test_photos_are_embedded_as_the_original_jpeg_bytes(make_visit_report, make_jpeg):
    paths = [make_jpeg(size=(400, 300)), make_jpeg(size=(300, 400))]
    report = make_visit_report(photos=tuple(PhotoItem(p, "Lobby", "Check-in") for p in paths))
    images = images_of(visit_report_pdf(report))
    assert len(images) == 2
    originals = {p.read_bytes() for p in paths}
    for filters, data in images:
        assert filters == ["/DCTDecode"]
        assert data in originals


def test_twenty_photos_make_twenty_images(make_visit_report, photo_items):
    pdf = visit_report_pdf(make_visit_report(photos=photo_items(20)))
    assert len(images_of(pdf)) == 20
    assert "Photos (20)" in text_of(pdf) and "Photo caption 19" in text_of(pdf)


def test_a_jpeg_under_another_file_name_is_still_embedded_as_is(make_visit_report, make_jpeg):
    path = make_jpeg("stored-photo.bin")
    report = make_visit_report(photos=(PhotoItem(path, "Odd name", "Check-in"),))
    [(filters, data)] = images_of(visit_report_pdf(report))
    assert filters == ["/DCTDecode"] and data == path.read_bytes()


def test_missing_or_broken_photo_does_not_break_the_report(make_visit_report, tmp_path: Path):
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"not a jpeg")
    report = make_visit_report(photos=(PhotoItem(tmp_path / "gone.jpg", "Gone", "x"),
                                       PhotoItem(broken, "Broken", "y")))
    assert text_of(visit_report_pdf(report)).count("Photo not available.") == 2


def test_build_leaves_reportlab_settings_as_they_were(make_visit_report, photo_items):
    before = rl_config.useA85
    visit_report_pdf(make_visit_report(photos=photo_items(1)))
    assert rl_config.useA85 == before


def test_an_empty_visit_renders(make_visit_report):
    report = make_visit_report(score=None, band=None, visited_at=None, critical_failures=(), curve=(), phases=(),
                               photos=(), remarks="", history=(), persona="", city="")
    text = text_of(visit_report_pdf(report))
    assert "Not scored".upper() in text and "No critical failures." in text and "No general remarks." in text


def test_very_long_comments_do_not_break_the_layout(make_visit_report):
    report = make_visit_report()
    tp = report.phases[0].touchpoints[0]
    long_standard = tp.standards[0].__class__(**{**tp.standards[0].__dict__, "comment": "word " * 5000})
    phase = report.phases[0].__class__(**{**report.phases[0].__dict__, "touchpoints": (
        tp.__class__(**{**tp.__dict__, "standards": (long_standard,)}),)})
    pdf = visit_report_pdf(make_visit_report(phases=(phase,), remarks="remark " * 20000))
    assert "(shortened)" in text_of(pdf)


def test_branch_pdf_shows_touchpoints_cells_and_counts(make_branch_report):
    pdf = branch_report_pdf(make_branch_report())
    assert pdf.startswith(b"%PDF")
    text = text_of(pdf)
    for expected in ("Hotel Centraal", "Greeting at reception", "Check-in", "Follow-up mail", "Arrival",
                     "After-sales", "All branches", "72.5", "n=3", "n=4", "2025-04", "2025-07", "v2",
                     "Weakest touchpoints", "Most failed standards", "3 of 5 (60 %)", "Page 1 of"):
        assert expected in text, expected
    assert re.search(r"80\.5 G\s*n=3", text)  # score, band letter and n of one cell
    assert "55.2 P" in text or "55.3 P" in text


def test_branch_pdf_turns_landscape_for_many_periods(make_branch_report):
    portrait = PdfReader(io.BytesIO(branch_report_pdf(make_branch_report(4)))).pages[0].mediabox
    wide = PdfReader(io.BytesIO(branch_report_pdf(make_branch_report(12)))).pages[0].mediabox
    assert portrait.width < portrait.height and wide.width > wide.height


def test_branch_pdf_splits_very_many_periods_into_column_chunks(make_branch_report):
    report = make_branch_report(30)
    text = text_of(branch_report_pdf(report))
    assert all(period in text for period in report.periods)
    assert "Periods 2025-04 to" in text


def test_branch_pdf_escapes_names_and_handles_no_data(make_branch_report):
    report = make_branch_report(0, weakest=(), failed_standards=(), branch_name=HOSTILE_COMMENT,
                                concept_name="<b>")
    text = text_of(branch_report_pdf(report))
    assert HOSTILE_COMMENT in text and "No periods to show." in text


def test_without_dejavu_helvetica_still_prints_latin1_text(make_visit_report, make_branch_report, monkeypatch):
    from auditapp.reports import pdf_base

    monkeypatch.setattr(pdf_base, "_FONT_DIRS", ())  # no DejaVu anywhere
    pdf_base.fonts.cache_clear()
    try:
        assert pdf_base.fonts() == ("Helvetica", "Helvetica-Bold")
        text = text_of(visit_report_pdf(make_visit_report()))
        assert UNICODE_COMMENT in text and HOSTILE_COMMENT in text and "Low · End 0.0" in text
        assert "n=3" in text_of(branch_report_pdf(make_branch_report()))
    finally:
        pdf_base.fonts.cache_clear()
