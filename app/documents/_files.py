"""Attached files: the allowed types recognised by their content (magic bytes), names without path parts,
and receiving an upload into a temporary file with a size cap."""

import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from app.errors import InvalidInput
from app.i18n import _

MAX_BYTES = 20 * 1024 * 1024
CHUNK = 1024 * 1024

MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "png": "image/png",
    "jpeg": "image/jpeg",
}
EXTENSIONS = {"pdf": (".pdf",), "docx": (".docx",), "odt": (".odt",), "png": (".png",), "jpeg": (".jpg", ".jpeg")}
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


class AsyncReadable(Protocol):
    """What an upload offers: ``await read(n)``."""

    async def read(self, size: int = -1) -> bytes: ...


@dataclass(frozen=True)
class Received:
    """An upload that passed every check, waiting in a temporary file next to its final place."""

    path: Path
    name: str
    type: str
    size: int


def check_name(name: str) -> str:
    """The file's own name, refused when empty, too long, or when it holds folders or control characters."""
    cleaned = name.strip()
    if not cleaned:
        raise InvalidInput(_("The file has no name."))
    if (
        "/" in cleaned
        or "\\" in cleaned
        or cleaned in {".", ".."}
        or any(not ch.isprintable() for ch in cleaned)
        or len(cleaned) > 255
    ):
        raise InvalidInput(
            _("The file name must be a plain name, without folders (such as ../) or special characters.")
        )
    return cleaned


def _zip_kind(handle: BinaryIO) -> str | None:
    try:
        with zipfile.ZipFile(handle) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                with archive.open("mimetype") as member:
                    if member.read(len(ODT_MIMETYPE) + 1).strip() == ODT_MIMETYPE:
                        return "odt"
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                with archive.open("[Content_Types].xml") as member:
                    if b"wordprocessingml" in member.read(64 * 1024):
                        return "docx"
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, KeyError, RuntimeError, ValueError):
        return None
    return None


def sniff(path: Path) -> str | None:
    """The file's type by its content: pdf, docx, odt, png or jpeg; None for anything else."""
    with path.open("rb") as handle:
        head = handle.read(8)
        if head.startswith(b"%PDF-"):
            return "pdf"
        if head == b"\x89PNG\r\n\x1a\n":
            return "png"
        if head.startswith(b"\xff\xd8\xff"):
            return "jpeg"
        if head.startswith(b"PK\x03\x04"):
            handle.seek(0)
            return _zip_kind(handle)
    return None


def too_large() -> InvalidInput:
    """The refusal of a file over the limit."""
    return InvalidInput(_("The file is too large (at most %(mb)s MB).", mb=MAX_BYTES // (1024 * 1024)))


async def receive(upload: AsyncReadable, *, name: str, folder: Path) -> Received:
    """Copy an upload into a temporary file in ``folder`` (at most ``MAX_BYTES``) and check it; on any refusal
    nothing is left on disk."""
    name = check_name(name)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    descriptor, temp_name = tempfile.mkstemp(prefix=".upload-", suffix=".part", dir=folder)
    path = Path(temp_name)
    try:
        size = 0
        with os.fdopen(descriptor, "wb") as out:
            while chunk := await upload.read(CHUNK):
                size += len(chunk)
                if size > MAX_BYTES:
                    raise too_large()
                out.write(chunk)
        if size == 0:
            raise InvalidInput(_("The file is empty."))
        kind = sniff(path)
        if kind is None:
            raise InvalidInput(
                _(
                    "This file cannot be attached: only PDF, Word (DOCX), OpenDocument text (ODT), PNG and JPEG "
                    "files are accepted, recognised by their content, not their name."
                )
            )
        return Received(path=path, name=name, type=kind, size=size)
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def download_name(name: str, kind: str) -> str:
    """The name to download a file under, with an extension that matches its real type."""
    if name.lower().endswith(EXTENSIONS[kind]):
        return name
    return f"{name}{EXTENSIONS[kind][0]}"
