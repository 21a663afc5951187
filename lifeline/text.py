"""Text that every file format can hold: no control characters (XML 1.0 refuses them; Word, SVG and REFI-QDA
files that hold one are broken), with XML escaping that removes them first."""

import re
from xml.sax import saxutils

# C0 control characters and DEL other than tab, LF and CR; also the UTF-16 surrogates and U+FFFE/U+FFFF, which
# XML 1.0 cannot hold either. Word's manual line break (U+000B) and page break (U+000C) become a newline.
_BREAKS = re.compile("[\x0b\x0c]")
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def printable(text: str) -> str:
    """``text`` without control characters (tab and newlines kept; U+000B and U+000C become a newline)."""
    if text.isprintable():
        return text
    return _CONTROLS.sub("", _BREAKS.sub("\n", text))


def escape(text: str) -> str:
    """``text`` as XML character data: control characters removed, ``& < >`` escaped."""
    return saxutils.escape(printable(text))


def quoteattr(text: str) -> str:
    """``text`` as a quoted XML attribute value: control characters removed, escaped and quoted."""
    return saxutils.quoteattr(printable(text))
