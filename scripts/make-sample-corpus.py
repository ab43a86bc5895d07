#!/usr/bin/env python3
"""Build kgtune's example corpora from their readable sources.

    /usr/bin/python3 scripts/make-sample-corpus.py            # both corpora
    /usr/bin/python3 scripts/make-sample-corpus.py --check    # rebuild in a temp dir, compare bytes

Sources (UTF-8, written for this project):
    examples/sample-corpus-src/   ->  examples/sample-corpus/
    examples/tiny-corpus-src/     ->  examples/tiny-corpus/

Only this generator needs extra software; the committed outputs do not:
    apt-get install -y python3-reportlab fonts-wqy-microhei
(any TrueType-outline CJK font works: set KGTUNE_CJK_FONT=/path/font.ttf[c] to choose one).

Source format (one small markup, see examples/sample-corpus-src/README.md):
    a front matter block between '---' lines with `output:`, `title:`, `header:`, `footer:`,
    `lang:` (zh|en), `font:` (cjk|helvetica), `author:`;
    then one paragraph per line; '# ' / '## ' / '### ' headings; '- ' bullets; '|' table rows
    (the first row is the header; a '|---|' separator row is skipped); '<!-- pagebreak -->'
    starts a new PDF page; '<!-- article lang=xx title=... -->' starts an HTML article.

Outputs are deterministic: PDFs are written with reportlab's invariant mode, DOCX zip entries
carry a fixed timestamp, so re-running the script gives identical bytes.
"""
from __future__ import annotations

import argparse
import filecmp
import io
import os
import shutil
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent

try:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import (PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table,
                                    TableStyle)
except ImportError:  # pragma: no cover - environment message
    sys.exit("reportlab is missing: apt-get install -y python3-reportlab fonts-wqy-microhei "
             "(then run this script with /usr/bin/python3), or pip install reportlab")

CJK_FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
]


def register_cjk_font() -> str:
    path = os.environ.get("KGTUNE_CJK_FONT") or next(
        (p for p in CJK_FONT_CANDIDATES if Path(p).exists()), None)
    if not path:
        sys.exit("no CJK TrueType font found: apt-get install -y fonts-wqy-microhei, "
                 "or set KGTUNE_CJK_FONT=/path/to/font.ttf")
    kwargs = {"subfontIndex": 0} if path.endswith(".ttc") else {}
    pdfmetrics.registerFont(TTFont("KgCJK", path, **kwargs))
    return path


# ----------------------------------------------------------------------------- source parsing

@dataclass
class Block:
    kind: str                       # h1 h2 p li table pagebreak article
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)
    attrs: dict[str, str] = field(default_factory=dict)


@dataclass
class Source:
    meta: dict[str, str]
    blocks: list[Block]


def parse_source(path: Path) -> Source:
    lines = path.read_text(encoding="utf-8").splitlines()
    meta: dict[str, str] = {}
    i = 0
    if lines and lines[0].strip() == "---":
        i = 1
        while i < len(lines) and lines[i].strip() != "---":
            key, _, value = lines[i].partition(":")
            meta[key.strip()] = value.strip()
            i += 1
        i += 1
    blocks: list[Block] = []
    table: list[list[str]] | None = None
    for raw in lines[i:]:
        line = raw.rstrip()
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if all(set(c) <= set("-: ") for c in cells):
                continue
            if table is None:
                table = []
                blocks.append(Block("table", rows=table))
            table.append(cells)
            continue
        table = None
        s = line.strip()
        if not s:
            continue
        if s == "<!-- pagebreak -->":
            blocks.append(Block("pagebreak"))
        elif s.startswith("<!-- article"):
            body = s[len("<!-- article"):-len("-->")].strip()
            attrs: dict[str, str] = {}
            for part in body.split(";"):
                k, _, v = part.partition("=")
                if k.strip():
                    attrs[k.strip()] = v.strip()
            blocks.append(Block("article", attrs=attrs))
        elif s.startswith("### "):
            blocks.append(Block("h3", s[4:]))
        elif s.startswith("## "):
            blocks.append(Block("h2", s[3:]))
        elif s.startswith("# "):
            blocks.append(Block("h1", s[2:]))
        elif s.startswith("- "):
            blocks.append(Block("li", s[2:]))
        else:
            blocks.append(Block("p", s))
    return Source(meta, blocks)


# ----------------------------------------------------------------------------- PDF

def pdf_styles(font: str, lang: str) -> dict[str, ParagraphStyle]:
    wrap = "CJK" if lang == "zh" else None
    base = dict(fontName=font, wordWrap=wrap)
    return {
        "h1": ParagraphStyle("h1", fontSize=18, leading=26, spaceAfter=8, alignment=TA_CENTER,
                             **base),
        "h2": ParagraphStyle("h2", fontSize=13, leading=20, spaceBefore=8, spaceAfter=4,
                             textColor=colors.HexColor("#1f3b63"), **base),
        "h3": ParagraphStyle("h3", fontSize=11.5, leading=18, spaceBefore=6, spaceAfter=3,
                             textColor=colors.HexColor("#2d5a8a"), **base),
        "p": ParagraphStyle("p", fontSize=10.5, leading=17, spaceAfter=4, **base),
        "li": ParagraphStyle("li", fontSize=10.5, leading=17, leftIndent=12, bulletIndent=2,
                             spaceAfter=2, **base),
        "cell": ParagraphStyle("cell", fontSize=9.5, leading=13, **base),
    }


def build_pdf(src: Source, out: Path, cjk_font: str) -> int:
    meta = src.meta
    lang = meta.get("lang", "zh")
    font = "Helvetica" if meta.get("font") == "helvetica" else "KgCJK"
    st = pdf_styles(font, lang)

    def flowables():
        story = []
        for b in src.blocks:
            if b.kind == "pagebreak":
                story.append(PageBreak())
            elif b.kind == "table":
                # keep each row on one text line when the table fits the page (cleaner text
                # layer); wrap cells only when it does not
                cell = st["cell"]
                widths = [max(pdfmetrics.stringWidth(row[i], font, cell.fontSize) + 12
                              for row in b.rows) for i in range(len(b.rows[0]))]
                if sum(widths) <= 170 * mm:
                    data = [[escape(c) for c in row] for row in b.rows]
                    t = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
                    t.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), font, cell.fontSize)]))
                else:
                    data = [[Paragraph(escape(c), cell) for c in row] for row in b.rows]
                    t = Table(data, repeatRows=1, hAlign="LEFT")
                t.setStyle(TableStyle([
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde6f2")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]))
                story.append(Spacer(1, 4))
                story.append(t)
                story.append(Spacer(1, 8))
            elif b.kind == "li":
                story.append(Paragraph(escape(b.text), st["li"], bulletText="•"))
            else:
                story.append(Paragraph(escape(b.text), st[b.kind]))
        return story

    header = meta.get("header", "")
    footer = meta.get("footer", "")
    page_fmt = "第 {n} 页 / 共 {total} 页" if lang == "zh" else "Page {n} of {total}"

    def render(total: int) -> tuple[bytes, int]:
        pages = {"n": 0}

        def decorate(canvas, doc):
            pages["n"] = doc.page
            canvas.saveState()
            canvas.setFont(font, 8.5)
            canvas.setFillColor(colors.HexColor("#555555"))
            w, h = A4
            canvas.drawString(20 * mm, h - 12 * mm, header)
            canvas.line(20 * mm, h - 14 * mm, w - 20 * mm, h - 14 * mm)
            canvas.line(20 * mm, 16 * mm, w - 20 * mm, 16 * mm)
            canvas.drawString(20 * mm, 11 * mm, footer)
            canvas.drawRightString(w - 20 * mm, 11 * mm, page_fmt.format(n=doc.page, total=total))
            canvas.restoreState()

        buf = io.BytesIO()
        doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm,
                                topMargin=22 * mm, bottomMargin=22 * mm,
                                title=meta.get("title", ""), author=meta.get("author", ""),
                                subject=meta.get("title", ""), creator="kgtune sample corpus",
                                invariant=1, lang=lang)
        doc.build(flowables(), onFirstPage=decorate, onLaterPages=decorate)
        return buf.getvalue(), pages["n"]

    _, total = render(0)
    data, n = render(total)
    assert n == total, (n, total)
    out.write_bytes(data)
    return total


# ----------------------------------------------------------------------------- DOCX

FIXED_ZIP_TIME = (2024, 3, 1, 9, 0, 0)

DOCX_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
</Types>"""

DOCX_ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>
</Relationships>"""

DOCX_DOC_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
</Relationships>"""

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

DOCX_STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles {W_NS}>
<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Calibri" w:hAnsi="Calibri" w:eastAsia="SimSun"/><w:sz w:val="21"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:pPr><w:jc w:val="center"/></w:pPr><w:rPr><w:b/><w:sz w:val="36"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:rPr><w:b/><w:sz w:val="28"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:rPr><w:b/><w:sz w:val="24"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="ListParagraph"><w:name w:val="List Paragraph"/><w:basedOn w:val="Normal"/><w:pPr><w:ind w:left="420"/></w:pPr></w:style>
<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:tblPr><w:tblBorders>
<w:top w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:left w:val="single" w:sz="4" w:space="0" w:color="auto"/>
<w:bottom w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:right w:val="single" w:sz="4" w:space="0" w:color="auto"/>
<w:insideH w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="auto"/>
</w:tblBorders></w:tblPr></w:style>
</w:styles>"""


def docx_par(text: str, style: str | None = None) -> str:
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f'<w:p>{ppr}<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def build_docx(src: Source, out: Path) -> None:
    body: list[str] = []
    for b in src.blocks:
        if b.kind == "h1":
            body.append(docx_par(b.text, "Title"))
        elif b.kind == "h2":
            body.append(docx_par(b.text, "Heading1"))
        elif b.kind == "h3":
            body.append(docx_par(b.text, "Heading2"))
        elif b.kind == "li":
            body.append(docx_par("• " + b.text, "ListParagraph"))
        elif b.kind == "p":
            body.append(docx_par(b.text))
        elif b.kind == "table":
            rows = []
            for r, row in enumerate(b.rows):
                hdr = '<w:trPr><w:tblHeader/></w:trPr>' if r == 0 else ""
                cells = "".join(f"<w:tc><w:tcPr><w:tcW w:w=\"0\" w:type=\"auto\"/></w:tcPr>"
                                f"{docx_par(c)}</w:tc>" for c in row)
                rows.append(f"<w:tr>{hdr}{cells}</w:tr>")
            grid = "".join('<w:gridCol/>' for _ in b.rows[0])
            body.append('<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" '
                        f'w:type="auto"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{"".join(rows)}'
                        '</w:tbl>')
            body.append(docx_par(""))
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {W_NS}>'
                f'<w:body>{"".join(body)}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>'
                '<w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" '
                'w:header="851" w:footer="992" w:gutter="0"/></w:sectPr></w:body></w:document>')
    core = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties '
            'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f'<dc:title>{escape(src.meta.get("title", ""))}</dc:title>'
            f'<dc:creator>{escape(src.meta.get("author", ""))}</dc:creator>'
            '<dcterms:created xsi:type="dcterms:W3CDTF">2024-03-01T09:00:00Z</dcterms:created>'
            '</cp:coreProperties>')
    parts = [
        ("[Content_Types].xml", DOCX_CONTENT_TYPES),
        ("_rels/.rels", DOCX_ROOT_RELS),
        ("docProps/core.xml", core),
        ("word/_rels/document.xml.rels", DOCX_DOC_RELS),
        ("word/styles.xml", DOCX_STYLES),
        ("word/document.xml", document),
    ]
    with zipfile.ZipFile(out, "w") as z:
        for name, text in parts:
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, text.encode("utf-8"))


# ----------------------------------------------------------------------------- HTML

def build_html(src: Source, out: Path) -> None:
    meta = src.meta
    parts: list[str] = []
    open_article = False
    for b in src.blocks:
        if b.kind == "article":
            if open_article:
                parts.append("</article>")
            lang = b.attrs.get("lang", "en")
            parts.append(f'<article lang="{escape(lang)}" id="release-{escape(lang)}">')
            open_article = True
        elif b.kind == "h1":
            parts.append(f"<h1>{escape(b.text)}</h1>")
        elif b.kind in ("h2", "h3"):
            parts.append(f"<{b.kind}>{escape(b.text)}</{b.kind}>")
        elif b.kind == "li":
            parts.append(f"<ul><li>{escape(b.text)}</li></ul>")
        elif b.kind == "p":
            parts.append(f"<p>{escape(b.text)}</p>")
        elif b.kind == "table":
            head = "".join(f"<th>{escape(c)}</th>" for c in b.rows[0])
            rows = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>"
                           for r in b.rows[1:])
            parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
    if open_article:
        parts.append("</article>")
    body = "\n".join(parts).replace("</ul>\n<ul>", "\n")
    html = f"""<!DOCTYPE html>
<html lang="{escape(meta.get('lang', 'en'))}">
<head>
<meta charset="utf-8">
<title>{escape(meta.get('title', ''))}</title>
<meta name="description" content="{escape(meta.get('description', ''))}">
<style>body{{font-family:sans-serif;max-width:48rem;margin:auto}} nav a{{margin-right:1rem}}</style>
<script>window.siteConfig = {{ section: "newsroom", theme: "light" }};</script>
</head>
<body>
<header><nav><a href="/">Home</a><a href="/products">Products</a><a href="/news">Newsroom</a><a href="/contact">Contact</a> | <a href="/zh/">中文</a></nav></header>
<main>
{body}
</main>
<footer><p>{escape(meta.get('footer', ''))}</p><nav><a href="/privacy">Privacy</a><a href="/terms">Terms</a></nav></footer>
</body>
</html>
"""
    out.write_text(html, encoding="utf-8", newline="\n")


# ----------------------------------------------------------------------------- driver

def build_corpus(src_dir: Path, out_dir: Path, cjk_font: str) -> list[str]:
    out_dir.mkdir(parents=True, exist_ok=True)
    log: list[str] = []
    # copies and damaged files derive from built outputs, so .corrupt sources go last
    for path in sorted(src_dir.iterdir(), key=lambda p: (p.suffix == ".corrupt", p.name)):
        if path.name == "README.md" or path.name.startswith("."):
            continue
        if path.suffix == ".md" and path.read_text(encoding="utf-8").startswith("---\n"):
            src = parse_source(path)
            target = out_dir / src.meta["output"]
            ext = target.suffix.lower()
            if ext == ".pdf":
                pages = build_pdf(src, target, cjk_font)
                log.append(f"{target.name}: PDF, {pages} page(s)")
            elif ext == ".docx":
                build_docx(src, target)
                log.append(f"{target.name}: DOCX")
            elif ext in (".html", ".htm"):
                build_html(src, target)
                log.append(f"{target.name}: HTML")
            else:
                raise SystemExit(f"{path}: unknown output type {ext}")
            for copy in filter(None, (c.strip() for c in src.meta.get("copies", "").split(","))):
                shutil.copyfile(target, out_dir / copy)
                log.append(f"{copy}: exact copy of {target.name}")
        elif path.suffix == ".txt" and path.stem.endswith(".gbk"):
            # foo.gbk.txt -> foo.txt, GBK with CRLF line ends as a Windows editor would save it
            text = path.read_text(encoding="utf-8").replace("\r\n", "\n").replace("\n", "\r\n")
            target = out_dir / (path.stem[: -len(".gbk")] + ".txt")
            target.write_bytes(text.encode("gbk"))
            log.append(f"{target.name}: TXT (GBK, CRLF)")
        elif path.suffix in (".md", ".txt"):
            shutil.copyfile(path, out_dir / path.name)
            log.append(f"{path.name}: copied as is")
        elif path.suffix == ".corrupt":
            # name.pdf.corrupt holds `from: other.pdf` and `keep: N`: the first N bytes of a
            # built PDF, cut off mid-stream, plus a line of junk: a damaged upload
            spec = dict(l.split(":", 1) for l in path.read_text("utf-8").splitlines() if ":" in l)
            whole = (out_dir / spec["from"].strip()).read_bytes()
            target = out_dir / path.stem
            target.write_bytes(whole[: int(spec["keep"])] + b"\n%%garbled-transfer\x00\xff\xfe")
            log.append(f"{target.name}: corrupt PDF (first {spec['keep'].strip()} bytes of "
                       f"{spec['from'].strip()})")
    return log


CORPORA = [("examples/sample-corpus-src", "examples/sample-corpus"),
           ("examples/tiny-corpus-src", "examples/tiny-corpus")]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--check", action="store_true",
                    help="build into a temp dir and fail if any output differs from the committed one")
    args = ap.parse_args()
    font = register_cjk_font()
    print(f"CJK font: {font}")
    failed = False
    for src_rel, out_rel in CORPORA:
        src_dir, out_dir = ROOT / src_rel, ROOT / out_rel
        if args.check:
            with tempfile.TemporaryDirectory() as tmp:
                log = build_corpus(src_dir, Path(tmp), font)
                for line in log:
                    name = line.split(":", 1)[0]
                    same = (out_dir / name).exists() and filecmp.cmp(Path(tmp) / name,
                                                                    out_dir / name, shallow=False)
                    failed |= not same
                    print(f"{'ok  ' if same else 'DIFF'} {out_rel}/{name}")
        else:
            for line in build_corpus(src_dir, out_dir, font):
                print(f"{out_rel}/{line}")
    if failed:
        sys.exit("generated files differ from the committed ones: re-run without --check")


if __name__ == "__main__":
    main()
