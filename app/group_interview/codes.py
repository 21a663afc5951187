"""Join codes: short, unambiguous, from a CSPRNG, never stored in clear text."""

import hashlib
import hmac
import secrets

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: readable from a projector
CODE_LENGTH = 8


def new_nonce() -> str:
    """A random nonce from which the join code is derived with the server's secret."""
    return secrets.token_hex(16)


def code_for(secret_key: str, nonce: str) -> str:
    """The join code of a nonce: shown on the screen, derived again whenever needed."""
    digest = hmac.new(secret_key.encode(), f"join-code:{nonce}".encode(), hashlib.sha256).digest()
    return "".join(ALPHABET[byte % len(ALPHABET)] for byte in digest[:CODE_LENGTH])


def normalise(code: str) -> str:
    """What a person typed, as a code: upper case, without spaces or dashes."""
    return "".join(ch for ch in code.upper() if ch.isascii() and ch.isalnum())


def code_hash(secret_key: str, code: str) -> str:
    """The stored form of a code: a keyed hash, so a database dump does not reveal it."""
    return hmac.new(secret_key.encode(), f"join-hash:{normalise(code)}".encode(), hashlib.sha256).hexdigest()


def display(code: str) -> str:
    """The code in two groups for reading aloud: ``ABCD-EFGH``."""
    return f"{code[:4]}-{code[4:]}"


def qr_svg(url: str) -> bytes:
    """A QR code of a join URL as a standalone SVG image (with its namespace), for a shared screen."""
    import io

    import segno

    buffer = io.BytesIO()
    segno.make(url, error="m").save(
        buffer, kind="svg", xmldecl=False, svgns=True, scale=8, dark="#10242b", light="#ffffff", border=2
    )
    return buffer.getvalue()
