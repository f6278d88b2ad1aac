"""Turn raw page bytes into text, choosing the character encoding the way a careful browser would.

Order of evidence: byte-order mark, then the HTTP ``Content-Type`` charset, then the first
``<meta charset>`` (or XML declaration) that names a codec Python knows.  Declarations lie
often enough (pages re-served as UTF-8 that still say ``iso-8859-1``, GBK pages labelled
``utf-8``) that a declaration is only trusted when the bytes agree with it; otherwise a
detector (charset-normalizer) looks at samples of the non-ASCII text.  Decoding never raises:
bytes that do not fit the chosen codec become U+FFFD.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

__all__ = ["Decoded", "decode_html", "decode_html_utf8", "normalize_encoding"]


@dataclass(frozen=True)
class Decoded:
    """Decoded page text and the codec that produced it (Python's canonical codec name)."""

    text: str
    encoding: str


# Labels whose browser meaning differs from Python's codec of the same name, or that Python
# does not know.  GB2312 and GBK are subsets of GB18030 in practice: real "gb2312" pages use
# GBK-only characters all the time, so they are decoded with the superset.  Latin-1 and ASCII
# labels mean windows-1252 to every browser (the WHATWG Encoding standard).
_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "gb_2312-80": "gb18030",
    "gb_2312": "gb18030",
    "csgb2312": "gb18030",
    "chinese": "gb18030",
    "cp936": "gb18030",
    "ms936": "gb18030",
    "euc-cn": "gb18030",
    "euccn": "gb18030",
    "hz-gb-2312": "gb18030",
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "iso-8859-9": "cp1254",
    "latin5": "cp1254",
    "iso-8859-11": "cp874",
    "tis-620": "cp874",
    "windows-874": "cp874",
    "x-sjis": "shift_jis",
    "shift-jis": "shift_jis",
    "sjis": "cp932",
    "ms_kanji": "cp932",
    "windows-31j": "cp932",
    "ks_c_5601-1987": "cp949",
    "euc-kr": "cp949",
    "big5": "big5hkscs",
    "x-user-defined": "cp1252",
    "unicode": "utf-8",
    "utf8": "utf-8",
    "x-mac-roman": "mac-roman",
}

# Codecs in which every byte sequence decodes: a clean decode proves nothing for them.
_SINGLE_BYTE_PREFIXES = ("cp", "iso8859", "latin", "mac", "koi8", "tis", "windows", "kz1048")

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_CT_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([\w.:\-]+)", re.I)
_META_CHARSET = re.compile(
    rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([\w.:\-]+)", re.I
)
_XML_DECL = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([\w.:\-]+)", re.I)
# Text between tags that holds non-ASCII bytes.  Cutting at '<' and '>' never splits a
# character in any ASCII-compatible multi-byte codec: their trail bytes are all >= 0x40.
_TEXT_RUN = re.compile(rb">([^<>]*[\x80-\xff][^<>]*)<")
_HIGH = re.compile(rb"[\x80-\xff]")

_HEAD_SCAN = 65536
_SAMPLE_BYTES = 12000


def normalize_encoding(label: str | None) -> str | None:
    """Map an encoding label to the Python codec a browser would effectively use, or None."""
    if not label:
        return None
    key = label.strip().strip("\"'").lower()
    if not key:
        return None
    key = _ALIASES.get(key, key)
    try:
        name = codecs.lookup(key).name
    except LookupError:
        return None
    # codecs.lookup canonicalises e.g. 'gbk' itself; map its results through aliases again.
    name = _ALIASES.get(name, name)
    if name in ("gbk", "gb2312"):
        name = "gb18030"
    if name in ("latin-1", "iso8859-1", "ascii"):
        name = "cp1252"
    return name


def _is_single_byte(codec: str) -> bool:
    return codec.startswith(_SINGLE_BYTE_PREFIXES)


def _declared(data: bytes, content_type: str | None) -> list[str]:
    """Every usable declared codec, most authoritative first."""
    found: list[str] = []
    if content_type:
        m = _CT_CHARSET.search(content_type)
        if m:
            enc = normalize_encoding(m.group(1))
            if enc:
                found.append(enc)
    head = data[:_HEAD_SCAN]
    m = _XML_DECL.match(head)
    if m:
        enc = normalize_encoding(m.group(1).decode("ascii", "ignore"))
        if enc:
            found.append(enc)
    for m in _META_CHARSET.finditer(head):
        enc = normalize_encoding(m.group(1).decode("ascii", "ignore"))
        if enc:
            found.append(enc)
            break
    # UTF-16/32 declared in a document we can read as ASCII is a known lie (the meta tag
    # itself was readable), so it is dropped.
    return [e for e in found if not e.startswith(("utf-16", "utf-32"))]


def _sample(data: bytes) -> bytes:
    """Non-ASCII text runs, concatenated: what a detector needs, without the markup noise."""
    parts: list[bytes] = []
    total = 0
    for m in _TEXT_RUN.finditer(data):
        run = m.group(1).strip()
        parts.append(run)
        total += len(run)
        if total >= _SAMPLE_BYTES:
            break
    if not parts:
        return data[:_SAMPLE_BYTES]
    return b"\n".join(parts)


def _detect(sample: bytes) -> str | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - dependency is declared
        return None
    try:
        best = from_bytes(sample, steps=4, chunk_size=min(4096, max(64, len(sample) // 4))).best()
    except Exception:  # noqa: BLE001 - a detector failure must not break decoding
        return None
    if best is None:
        return None
    return normalize_encoding(best.encoding)


def _high_share(sample: bytes) -> float:
    """Share of non-ASCII bytes in the sample."""
    if not sample:
        return 0.0
    return len(_HIGH.findall(sample)) / len(sample)


def _error_share(data: bytes, codec: str) -> float:
    """Share of the sample that does not decode (0.0 = clean)."""
    text = data.decode(codec, "replace")
    if not text:
        return 0.0
    return text.count("\ufffd") / max(1, len(text))


def _utf16_without_bom(data: bytes) -> str | None:
    head = data[:400]
    if len(head) < 8:
        return None
    even_zero = head[0::2].count(0)
    odd_zero = head[1::2].count(0)
    half = len(head) / 2
    if odd_zero > 0.4 * half and even_zero < 0.05 * half:
        return "utf-16-le"
    if even_zero > 0.4 * half and odd_zero < 0.05 * half:
        return "utf-16-be"
    return None


def decode_html(data: bytes, content_type: str | None = None) -> Decoded:
    """Decode page bytes; never raises.  ``content_type`` is the HTTP header value, if any."""
    return decode_html_utf8(data, content_type)[0]


def decode_html_utf8(data: bytes, content_type: str | None = None) -> tuple[Decoded, bytes | None]:
    """Like :func:`decode_html`, also returning ``data`` itself when it is the text's UTF-8.

    Most pages are valid UTF-8 (or ASCII): an HTML parser can then take the original bytes
    and skip re-encoding the decoded text, which costs about as much as decoding it.
    """
    if isinstance(data, str):  # tolerate callers that already decoded
        return Decoded(data, "utf-8"), None
    if not data:
        return Decoded("", "utf-8"), None
    try:
        return _decode(bytes(data), content_type)
    except Exception:  # noqa: BLE001 - last resort, decoding must never fail
        return Decoded(bytes(data).decode("utf-8", "replace"), "utf-8"), None


def _decode(data: bytes, content_type: str | None) -> tuple[Decoded, bytes | None]:
    decoded = _decode_legacy_or_bom(data)
    if decoded is not None:
        return decoded, None

    if data.isascii():
        # Pure ASCII reads the same in every ASCII-compatible codec.
        declared = _declared(data, content_type)
        return Decoded(data.decode("ascii"), declared[0] if declared else "utf-8"), data

    # Valid UTF-8 with non-ASCII bytes is practically never an accident of a legacy codec,
    # so it wins over any declaration.  A truncated page may end inside a character, so
    # a few trailing bad bytes are forgiven.
    try:
        return Decoded(data.decode("utf-8"), "utf-8"), data
    except UnicodeDecodeError as err:
        if err.start >= len(data) - 4:
            return Decoded(data.decode("utf-8", "replace"), "utf-8"), None
    return _decode_declared_or_detected(data, _declared(data, content_type)), None


def _decode_legacy_or_bom(data: bytes) -> Decoded | None:
    """Pages whose byte-order mark, or UTF-16 shape without one, settles the codec."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return Decoded(data[len(bom) :].decode(codec, "replace"), codec)
    utf16 = _utf16_without_bom(data)
    if utf16:
        return Decoded(data.decode(utf16, "replace"), utf16)
    return None


def _decode_declared_or_detected(data: bytes, declared: list[str]) -> Decoded:
    """Non-UTF-8 bytes: the first declared codec the bytes agree with, else the detector's."""
    sample = _sample(data)
    for codec in declared:
        if codec == "utf-8":
            # Declared UTF-8 but not valid: check whether it is mostly UTF-8 with a few
            # stray bytes (common with templates that paste legacy snippets).
            if _error_share(sample, "utf-8") < 0.01:
                return Decoded(data.decode("utf-8", "replace"), "utf-8")
            continue
        if _is_single_byte(codec):
            # Any bytes decode in a single-byte codec.  Text in a Latin, Cyrillic or Greek
            # codec is mostly ASCII letters and spaces; text that is mostly high bytes is a
            # CJK page mislabelled, which only the detector can name.
            if _high_share(sample) > 0.5:
                guess = _detect(sample)
                if guess and not _is_single_byte(guess) and _error_share(sample, guess) < 0.002:
                    return Decoded(data.decode(guess, "replace"), guess)
            return Decoded(data.decode(codec, "replace"), codec)
        if _error_share(sample, codec) < 0.005:
            return Decoded(data.decode(codec, "replace"), codec)

    guess = _detect(sample)
    if guess:
        return Decoded(data.decode(guess, "replace"), guess)
    return Decoded(data.decode("utf-8", "replace"), "utf-8")
