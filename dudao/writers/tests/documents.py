"""Opening generated .docx files for assertions: parts as lxml trees, styles by id."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from docx.oxml import parse_xml

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def w(name: str) -> str:
    return f"{{{W}}}{name}"


class Docx:
    def __init__(self, data: bytes) -> None:
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        self.document = self.part("word/document.xml")
        self.styles = self.part("word/styles.xml")
        self.settings = self.part("word/settings.xml")
        rels = self.part("word/_rels/document.xml.rels")
        self.targets = {
            r.get("Id"): "word/" + r.get("Target", "")
            for r in rels.iter(
                "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
            )
        }

    def part(self, name: str) -> Any:
        return parse_xml(self.zip.read(name))

    @property
    def sect(self) -> Any:
        return self.document.find("w:body/w:sectPr", NS)

    def reference(self, kind: str, which: str) -> Any:
        """The header or footer part of `which` (default, even, first)."""
        for ref in self.sect.findall(f"w:{kind}Reference", NS):
            if ref.get(w("type")) == which:
                rid = ref.get(
                    "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
                )
                return self.part(self.targets[rid])
        raise AssertionError(f"no {which} {kind}")

    def style(self, style_id: str) -> Any:
        found = self.styles.find(f"w:style[@w:styleId='{style_id}']", NS)
        assert found is not None, style_id
        return found

    def paragraphs(self) -> list[tuple[str, str]]:
        """(style id, text) of each body paragraph."""
        out = []
        for p in self.document.iter(w("p")):
            style = p.find("w:pPr/w:pStyle", NS)
            text = "".join(t.text or "" for t in p.iter(w("t")))
            out.append((style.get(w("val")) if style is not None else "", text))
        return out


def text_of(root: Any) -> str:
    return "".join(t.text or "" for t in root.iter(w("t")))
