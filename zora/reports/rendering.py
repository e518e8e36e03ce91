"""From a kind and its parameters to a document: compose the sections in the organisation's
layout, render them with the section templates, and turn the HTML into PDF (WeasyPrint) or
DOCX (python-docx, zora.reports.docx).

PDF and HTML share one template (`reports/document.html`) and the print stylesheet
(`reports/print/report.css`, fonts DejaVu Sans and DejaVu Serif, which cover Cyrillic); the
preview page in the app renders the same body (`reports/includes/body.html`) inside the site's
layout. DOCX is made from the same HTML, so the three carry the same content.
"""

import io
import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from zora.organisations.models import Organisation
from zora.reports import selectors
from zora.reports.builders import Progress, no_progress
from zora.reports.kinds import KINDS
from zora.reports.models import Kind

# WeasyPrint logs every layout step at INFO (some when it is imported); only its warnings matter.
for _name in ("weasyprint", "weasyprint.progress"):
    logging.getLogger(_name).setLevel(logging.WARNING)


@dataclass
class Section:
    key: str
    title: str
    number: int
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    body: str = ""  # free-text sections

    @property
    def anchor(self) -> str:
        return f"section-{self.key}"


@dataclass
class Document:
    kind: str
    kind_label: str
    organisation: Organisation
    language: str
    title: str
    subtitle: str
    facts: list[tuple[str, str]]
    sections: list[Section]
    contents: bool
    look: selectors.Look
    generated_at: datetime


def compose(
    *,
    organisation: Organisation,
    kind: str,
    params: dict[str, Any],
    language: str,
    progress: Progress = no_progress,
) -> Document:
    """Builds the content of every included section, in the organisation's order. Must run
    with the report's language active (see `generate`)."""
    spec = KINDS[kind]
    built = spec.builder.build(organisation, params, lambda f, m="": progress(0.05 + 0.55 * f, m))
    sections: list[Section] = []
    contents = False
    for entry in selectors.layout_entries(organisation, kind):
        if not entry.include:
            continue
        if entry.key == "contents":
            contents = True
            continue
        if entry.custom is not None:
            if not (entry.custom.title or entry.custom.body):
                continue
            sections.append(
                Section(
                    entry.key,
                    entry.custom.title,
                    len(sections) + 1,
                    "reports/sections/custom.html",
                    body=entry.custom.body,
                )
            )
            continue
        context = built.sections.get(entry.key)
        if context is None:
            continue
        sections.append(
            Section(
                entry.key,
                entry.title,
                len(sections) + 1,
                f"reports/sections/{kind}/{entry.key}.html",
                context,
            )
        )
    return Document(
        kind=kind,
        kind_label=str(Kind(kind).label),
        organisation=organisation,
        language=language,
        title=built.title,
        subtitle=built.subtitle,
        facts=built.facts,
        sections=sections,
        contents=contents,
        look=selectors.branding_for(organisation),
        generated_at=timezone.localtime(),
    )


def print_css(document: Document) -> str:
    from django.utils.translation import gettext as _

    return render_to_string(
        "reports/print/report.css",
        {
            "look": document.look,
            "document": document,
            # Page numbers in the footer: "Page 3 of 12".
            "page_word": _("Page"),
            "of_word": _("of"),
        },
    )


def render_html(document: Document, *, for_pdf: bool = False) -> str:
    """The standalone document: for the PDF, and the HTML file people download."""
    return render_to_string(
        "reports/document.html",
        {"document": document, "css": mark_safe(print_css(document)), "for_pdf": for_pdf},  # noqa: S308 (our template)
    )


def render_pdf(html: str, progress: Progress = no_progress) -> tuple[bytes, int]:
    """PDF with page numbers, running headers, a table of contents with page numbers, and
    bookmarks from the headings."""
    import weasyprint
    from django.utils.translation import gettext as _

    # Nothing is fetched from the network or the disk: logos are data: URIs, charts inline.
    fetcher = weasyprint.URLFetcher(allowed_protocols={"data"})
    rendered = weasyprint.HTML(string=html, base_url=".", url_fetcher=fetcher).render()
    pages = len(rendered.pages)
    progress(0.85, _("Writing %(pages)s pages") % {"pages": pages})
    return rendered.write_pdf(), pages


@dataclass
class Output:
    data: bytes
    pages: int | None
    title: str


def generate(
    *,
    organisation: Organisation,
    kind: str,
    params: dict[str, Any],
    language: str,
    format: str,
    progress: Progress = no_progress,
) -> Output:
    """The whole report as bytes in the format asked (the job, the CLI and tests call this)."""
    from django.utils.translation import gettext as _

    with translation.override(language):
        progress(0.02, _("Collecting the data"))
        document = compose(
            organisation=organisation,
            kind=kind,
            params=params,
            language=language,
            progress=progress,
        )
        progress(0.65, _("Laying out the document"))
        html = render_html(document, for_pdf=format == "pdf")
        if format == "html":
            return Output(html.encode("utf-8"), None, document.title)
        if format == "pdf":
            progress(0.7, _("Making the PDF"))
            data, pages = render_pdf(html, progress)
            return Output(data, pages, document.title)
        from zora.reports.docx import html_to_docx

        progress(0.7, _("Making the Word document"))
        buffer = io.BytesIO()
        html_to_docx(html, document).save(buffer)
        return Output(buffer.getvalue(), None, document.title)
