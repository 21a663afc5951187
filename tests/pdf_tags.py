"""Checks shared by the PDF tests: tagged (PDF/UA), with a title and a language."""

import io

from pypdf import PdfReader


def assert_tagged(content: bytes, *, lang: str, title: str) -> PdfReader:
    """The PDF is tagged PDF/UA-1: marked content, a structure tree, the document language, the title shown
    (not the file name), and the PDF/UA identification in its XMP metadata. Returns the reader."""
    reader = PdfReader(io.BytesIO(content))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root and root["/StructTreeRoot"].get_object()["/K"]
    assert root["/Lang"] == lang
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata is not None and reader.metadata.title == title
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert "pdfuaid:part" in xmp and title in xmp
    return reader
