"""Encoding choice: BOM > HTTP header > <meta>, checked against the bytes; never raises."""

from __future__ import annotations

import codecs
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from extract.decode import Decoded, decode_html, normalize_encoding

FIXTURES = Path(__file__).parent / "fixtures" / "extract"

ZH = "虚构科技公司首席执行官王镕先生宣布辞职，董事会已接受其辞呈。"


def _page(body: str, head: str = "") -> str:
    return f"<html><head>{head}<title>t</title></head><body><p>{body}</p></body></html>"


def test_returns_dataclass_and_empty_input() -> None:
    result = decode_html(b"")
    assert isinstance(result, Decoded)
    assert result.text == ""


def test_utf8_bom_wins_over_declaration() -> None:
    data = codecs.BOM_UTF8 + _page("café", '<meta charset="windows-1251">').encode("utf-8")
    result = decode_html(data)
    assert result.encoding == "utf-8"
    assert "café" in result.text
    assert not result.text.startswith("\ufeff")


def test_utf16_bom() -> None:
    data = codecs.BOM_UTF16_LE + _page("Grüße").encode("utf-16-le")
    result = decode_html(data)
    assert result.encoding == "utf-16-le"
    assert "Grüße" in result.text


def test_http_header_charset_used() -> None:
    data = _page("Привет, мир, это новости").encode("cp1251")
    result = decode_html(data, "text/html; charset=windows-1251")
    assert result.encoding == "cp1251"
    assert "Привет" in result.text


def test_gb2312_label_decoded_as_gb18030() -> None:
    # 镕 is in GBK but not in GB2312: real "gb2312" pages contain such characters.
    data = _page(ZH, '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">')
    result = decode_html(data.encode("gbk"))
    assert result.encoding == "gb18030"
    assert ZH in result.text


def test_gbk_fixture_file() -> None:
    result = decode_html((FIXTURES / "gbk_article.html").read_bytes())
    assert result.encoding == "gb18030"
    assert "王镕先生" in result.text
    assert "\ufffd" not in result.text


def test_lying_latin1_declaration_on_utf8_bytes() -> None:
    result = decode_html((FIXTURES / "lying_charset.html").read_bytes())
    assert result.encoding == "utf-8"
    assert "zurück" in result.text
    assert "Ã" not in result.text


def test_lying_utf8_declaration_on_gbk_bytes() -> None:
    data = _page(ZH * 3, '<meta charset="utf-8">').encode("gbk")
    result = decode_html(data, "text/html; charset=utf-8")
    assert result.encoding == "gb18030"
    assert ZH in result.text


def test_first_meta_naming_a_real_codec() -> None:
    head = '<meta charset="x-no-such-codec"><meta charset="windows-1252">'
    data = _page("naïve café résumé", head).encode("cp1252")
    result = decode_html(data)
    assert result.encoding == "cp1252"
    assert "naïve café résumé" in result.text


def test_undeclared_legacy_bytes_detected() -> None:
    text = "Le président de la société a démissionné après une réunion très agitée. " * 5
    result = decode_html(_page(text).encode("cp1252"))
    assert "président" in result.text


def test_undeclared_gbk_detected() -> None:
    result = decode_html(_page(ZH * 4).encode("gbk"))
    assert result.encoding == "gb18030"
    assert ZH in result.text


def test_invalid_bytes_replaced_not_raised() -> None:
    data = _page("ok").encode() + b"\xff\xfe\xfa\x80 broken \xc3"
    result = decode_html(data, "text/html; charset=utf-8")
    assert "ok" in result.text


def test_truncated_utf8_tail_is_forgiven() -> None:
    data = _page("Größe " * 20).encode("utf-8") + "€".encode()[:2]
    result = decode_html(data)
    assert result.encoding == "utf-8"
    assert "Größe" in result.text


def test_normalize_encoding_aliases() -> None:
    assert normalize_encoding("GB2312") == "gb18030"
    assert normalize_encoding("gbk") == "gb18030"
    assert normalize_encoding("ISO-8859-1") == "cp1252"
    assert normalize_encoding("UTF8") == "utf-8"
    assert normalize_encoding("bogus-codec") is None
    assert normalize_encoding("") is None


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=3000), st.one_of(st.none(), st.text(max_size=40)))
def test_never_raises_on_random_bytes(data: bytes, content_type: str | None) -> None:
    result = decode_html(data, content_type)
    assert isinstance(result.text, str)
    assert result.encoding
