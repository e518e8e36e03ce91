"""DOCX from the report's HTML, so that Word, PDF and the web page carry the same content.

The walker maps the few elements the section templates use onto real Word structures a civil
servant can edit: the cover's title → "Title"; section headings h2/h3/h4 → "Heading 1/2/3"
(so Word's navigation pane and table of contents work); the contents → a Word TOC field
(Word fills in the page numbers when the document is opened); tables → Word tables with a
header row repeated on every page; lists → "List Bullet"/"List Number"; charts → PNG images
rendered from the same SVG (vl-convert) with their caption; page size A4, a running header and
"Page X of Y" in the footer.
"""

import base64
import re
from collections.abc import Iterator
from typing import Any

from docx import Document as new_document
from docx.document import Document as WordDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph
from lxml import html as lxml_html
from lxml.html import HtmlElement

from zora.reports.figures import svg_to_png

FONT = "Arial"  # on every Windows and macOS; LibreOffice substitutes Liberation Sans
TEXT_WIDTH = Mm(168)
_SVG = re.compile(r"<svg\b.*?</svg>", re.S)
HEADINGS = {"h2": 1, "h3": 2, "h4": 3}
SKIP_CLASSES = {"doc-org", "doc-title", "screen-only"}


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def _classes(element: HtmlElement) -> set[str]:
    return set((element.get("class") or "").split())


def _text(element: HtmlElement) -> str:
    return " ".join("".join(element.itertext()).split())


def _set_cell_shading(cell: _Cell, hex_colour: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), hex_colour.lstrip("#").upper())
    properties.append(shading)


def _field(paragraph: Paragraph, instruction: str, placeholder: str = "1") -> None:
    """A Word field (PAGE, NUMPAGES …) as begin / instruction / separate / result / end."""

    def char(kind: str) -> None:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        paragraph.add_run()._r.append(element)

    char("begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    paragraph.add_run()._r.append(instr)
    char("separate")
    paragraph.add_run(placeholder)
    char("end")


class Writer:
    def __init__(self, document: Any, svgs: list[str]) -> None:
        self.look = document.look
        self.meta = document
        self.svgs = svgs
        self.doc: WordDocument = new_document()
        self._setup()

    # --- Styles, page, header and footer ---------------------------------------------------

    def _setup(self) -> None:
        doc, primary = self.doc, _rgb(self.look.primary)
        normal = doc.styles["Normal"]
        normal.font.name = FONT
        normal.font.size = Pt(10)
        fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
        for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attribute), FONT)
        normal.paragraph_format.space_after = Pt(4)
        for name, size in (
            ("Title", 24),
            ("Subtitle", 13),
            ("Heading 1", 16),
            ("Heading 2", 13),
            ("Heading 3", 11),
        ):
            style = doc.styles[name]
            style.font.name = FONT
            style.font.size = Pt(size)
            style.font.color.rgb = primary
            rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
            for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
                rfonts.set(qn(attribute), FONT)
            for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
                rfonts.attrib.pop(qn(theme), None)
        doc.styles["Caption"].font.color.rgb = RGBColor(0x57, 0x60, 0x6A)
        doc.core_properties.title = self.meta.title
        doc.core_properties.author = self.meta.organisation.name
        doc.core_properties.language = self.meta.language
        section = doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(22), Mm(20)
        section.left_margin, section.right_margin = Mm(22), Mm(20)
        section.different_first_page_header_footer = True
        header = section.header.paragraphs[0]
        header.text = f"{self.meta.organisation.name} · {self.meta.title}"
        header.style = doc.styles["Header"]
        for run in header.runs:
            run.font.size = Pt(8)
            run.font.color.rgb = RGBColor(0x57, 0x60, 0x6A)
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        from django.utils.translation import gettext as _

        footer.add_run(f"{_('Page')} ")
        _field(footer, "PAGE")
        footer.add_run(f" {_('of')} ")
        _field(footer, "NUMPAGES")
        for run in footer.runs:
            run.font.size = Pt(8)
        # Word refreshes the fields (the table of contents) when it opens the file.
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        doc.settings.element.append(update)

    # --- Walking the HTML --------------------------------------------------------------------

    def write(self, root: HtmlElement) -> WordDocument:
        article = root.find(".//article") if root.tag != "article" else root
        if article is None:
            article = root
        for child in article:
            self.block(child)
        return self.doc

    def block(self, element: HtmlElement, container: Any = None) -> None:
        target = container if container is not None else self.doc
        tag = element.tag if isinstance(element.tag, str) else ""
        classes = _classes(element)
        if not tag or classes & SKIP_CLASSES:
            return
        if "cover" in classes:
            self.cover(element)
        elif tag == "nav" and "toc" in classes:
            self.contents(element)
        elif tag in HEADINGS:
            paragraph = target.add_paragraph(_text(element), style=f"Heading {HEADINGS[tag]}")
            if tag == "h2" and container is None:
                paragraph.paragraph_format.page_break_before = True
        elif tag == "h1":
            target.add_paragraph(_text(element), style="Title")
        elif tag == "p":
            if "kpi" in classes:
                return
            style = "Intense Quote" if "callout" in classes else None
            paragraph = target.add_paragraph(style=style)
            self.inline(paragraph, element, small="note" in classes or "table-note" in classes)
        elif tag in ("ul", "ol"):
            style = "List Number" if tag == "ol" else "List Bullet"
            for item in element.iterchildren("li"):
                paragraph = target.add_paragraph(style=style)
                self.inline(paragraph, item)
        elif tag == "table":
            self.table(element, target)
        elif tag == "figure":
            self.figure(element, target)
        elif tag == "dl":
            self.definitions(element, target)
        elif tag == "div" and "kpis" in classes:
            self.kpis(element, target)
        elif tag == "img" and element.get("data-svg") is not None:
            self.chart(int(element.get("data-svg", "0")), target)
        else:  # section, div, article …: their children
            for child in element:
                self.block(child, container)

    def inline(self, paragraph: Paragraph, element: HtmlElement, *, small: bool = False) -> None:
        for text, bold, italic, muted, is_break in self._runs(element, False, False, False):
            if is_break:
                paragraph.add_run().add_break()
                continue
            run = paragraph.add_run(text)
            run.bold = bold or None
            run.italic = italic or None
            if muted or small:
                run.font.size = Pt(8)
                run.font.color.rgb = RGBColor(0x57, 0x60, 0x6A)

    def _runs(
        self, element: HtmlElement, bold: bool, italic: bool, muted: bool
    ) -> Iterator[tuple[str, bool, bool, bool, bool]]:
        tag = element.tag if isinstance(element.tag, str) else ""
        classes = _classes(element)
        bold = bold or tag in ("strong", "b")
        italic = italic or tag in ("em", "i")
        muted = muted or bool(classes & {"muted", "small"})
        if tag == "br":
            yield "", False, False, False, True
        elif element.text:
            yield re.sub(r"\s+", " ", element.text), bold, italic, muted, False
        for child in element:
            yield from self._runs(child, bold, italic, muted)
            if child.tail:
                yield re.sub(r"\s+", " ", child.tail), bold, italic, muted, False

    # --- Structures ----------------------------------------------------------------------------

    def cover(self, element: HtmlElement) -> None:
        doc = self.doc
        logo = element.find(".//img")
        if logo is not None and (logo.get("src") or "").startswith("data:image/"):
            import io

            data = base64.b64decode(logo.get("src", "").split(",", 1)[1])
            doc.add_picture(io.BytesIO(data), height=Mm(22))
            doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        for _ in range(3):
            doc.add_paragraph()
        kind = element.find_class("cover-kind")
        if kind:
            paragraph = doc.add_paragraph()
            run = paragraph.add_run(_text(kind[0]).upper())
            run.font.color.rgb = _rgb(self.look.accent)
            run.bold = True
        title = element.find(".//h1")
        if title is not None:
            doc.add_paragraph(_text(title), style="Title")
        subtitle = element.find_class("cover-subtitle")
        if subtitle:
            doc.add_paragraph(_text(subtitle[0]), style="Subtitle")
        org = element.find_class("cover-org")
        if org:
            paragraph = doc.add_paragraph()
            run = paragraph.add_run(_text(org[0]))
            run.bold = True
            run.font.size = Pt(14)
            run.font.color.rgb = _rgb(self.look.primary)
        facts = element.find(".//dl")
        if facts is not None:
            self.definitions(facts, doc)
        footer = element.find_class("cover-footer")
        if footer:
            paragraph = doc.add_paragraph()
            self.inline(paragraph, footer[0], small=True)
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def contents(self, element: HtmlElement) -> None:
        """A real TOC field over Heading 1–2; until Word updates it, it lists the sections."""
        heading = element.find(".//h2")
        paragraph = self.doc.add_paragraph(
            _text(heading) if heading is not None else "", style="TOC Heading"
        )
        entries = [_text(a) for a in element.iter("a")] or [""]
        for i, entry in enumerate(entries):
            paragraph = self.doc.add_paragraph()
            if i == 0:
                for kind, text in (
                    ("begin", None),
                    (None, ' TOC \\o "1-2" \\h \\z \\u '),
                    ("separate", None),
                ):
                    if kind:
                        char = OxmlElement("w:fldChar")
                        char.set(qn("w:fldCharType"), kind)
                        paragraph.add_run()._r.append(char)
                    else:
                        instr = OxmlElement("w:instrText")
                        instr.set(qn("xml:space"), "preserve")
                        instr.text = text
                        paragraph.add_run()._r.append(instr)
            paragraph.add_run(entry)
            if i == len(entries) - 1:
                char = OxmlElement("w:fldChar")
                char.set(qn("w:fldCharType"), "end")
                paragraph.add_run()._r.append(char)

    def definitions(self, element: HtmlElement, target: Any) -> None:
        terms = list(element.iterchildren("dt"))
        values = list(element.iterchildren("dd"))
        for term, value in zip(terms, values, strict=False):
            paragraph = target.add_paragraph()
            run = paragraph.add_run(f"{_text(term)}: ")
            run.bold = True
            self.inline(paragraph, value)

    def kpis(self, element: HtmlElement, target: Any) -> None:
        cards = [c for c in element.iterchildren("p") if "kpi" in _classes(c)]
        if not cards:
            return
        table = target.add_table(rows=1, cols=len(cards))
        table.style = self.doc.styles["Table Grid"]
        for cell, card in zip(table.rows[0].cells, cards, strict=False):
            value = card.find_class("kpi-value")
            label = card.find_class("kpi-label")
            paragraph = cell.paragraphs[0]
            run = paragraph.add_run(_text(value[0]) if value else "")
            run.bold = True
            run.font.size = Pt(16)
            run.font.color.rgb = _rgb(self.look.primary)
            if label:
                small = cell.add_paragraph().add_run(_text(label[0]))
                small.font.size = Pt(8)
        target.add_paragraph()

    def table(self, element: HtmlElement, target: Any) -> None:
        caption = element.find("caption")
        if caption is not None:
            target.add_paragraph(_text(caption), style="Caption")
        rows: list[tuple[bool, HtmlElement]] = []
        for part in element:
            if not isinstance(part.tag, str):
                continue
            if part.tag == "tr":
                rows.append((False, part))
            elif part.tag in ("thead", "tbody", "tfoot"):
                rows.extend((part.tag == "thead", tr) for tr in part.iterchildren("tr"))
        if not rows:
            return
        width = max(
            sum(int(c.get("colspan", "1") or 1) for c in tr if c.tag in ("th", "td"))
            for _h, tr in rows
        )
        table = target.add_table(rows=len(rows), cols=width)
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for (is_header, tr), row in zip(rows, table.rows, strict=False):
            if is_header:
                properties = row._tr.get_or_add_trPr()
                repeat = OxmlElement("w:tblHeader")
                repeat.set(qn("w:val"), "true")
                properties.append(repeat)
            column = 0
            for cell_element in tr:
                if cell_element.tag not in ("th", "td"):
                    continue
                span = int(cell_element.get("colspan", "1") or 1)
                cell = row.cells[column]
                if span > 1:
                    cell = cell.merge(row.cells[min(width, column + span) - 1])
                paragraph = cell.paragraphs[0]
                self.inline(paragraph, cell_element)
                for run in paragraph.runs:
                    run.font.size = run.font.size or Pt(8.5)
                if "num" in _classes(cell_element):
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                if is_header:
                    _set_cell_shading(cell, self.look.primary)
                    for run in paragraph.runs:
                        run.bold = True
                        run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
                elif "highlight" in _classes(tr) or "current" in _classes(tr):
                    _set_cell_shading(cell, "#EEF3F8")
                    for run in paragraph.runs:
                        run.bold = True
                column += span
        target.add_paragraph()

    def figure(self, element: HtmlElement, target: Any) -> None:
        for child in element:
            if child.tag == "img" and child.get("data-svg") is not None:
                self.chart(int(child.get("data-svg", "0")), target)
        caption = element.find("figcaption")
        if caption is not None:
            target.add_paragraph(_text(caption), style="Caption")

    def chart(self, index: int, target: Any) -> None:
        import io

        svg = self.svgs[index]
        png = svg_to_png(svg, scale=2)
        match = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg)
        width_px = float(match.group(1)) if match else 760.0
        # 760 px of chart ≈ the text width; smaller charts keep their proportion.
        width = min(TEXT_WIDTH, int(TEXT_WIDTH * width_px / 760))
        paragraph = target.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run().add_picture(io.BytesIO(png), width=width)
        title = re.search(r"<title[^>]*>(.*?)</title>", svg, re.S)
        desc = re.search(r"<desc[^>]*>(.*?)</desc>", svg, re.S)
        alt = ". ".join(m.group(1) for m in (title, desc) if m)
        properties = paragraph.runs[-1]._r.findall(".//" + qn("wp:docPr"))
        for doc_pr in properties:
            doc_pr.set("descr", lxml_html.fromstring(f"<p>{alt}</p>").text_content()[:1000])


def html_to_docx(html: str, document: Any) -> WordDocument:
    """The Word document of a rendered report (`rendering.render_html`)."""
    svgs: list[str] = []

    def keep(match: re.Match[str]) -> str:
        svgs.append(match.group(0))
        return f'<img data-svg="{len(svgs) - 1}" alt="">'

    # The HTML parser would lower-case SVG attributes (viewBox); the charts are set aside and
    # rendered from their original text.
    body = _SVG.sub(keep, html)
    root = lxml_html.document_fromstring(body)
    writer = Writer(document, svgs)
    writer.write(root)
    return writer.doc
