"""Loaders for the other files people really have: signed ``.p7m`` envelopes, legacy Word ``.doc``,
web pages saved from a browser (``.html`` and single-file ``.mhtml``).

- ``.p7m`` (CAdES, i.e. CMS/PKCS#7 SignedData, RFC 5652): the signed file is the encapsulated
  content; ``unwrap_signed`` reads the BER/DER structure itself (definite and indefinite lengths,
  chunked OCTET STRINGs, base64 or PEM armour), so no crypto library is needed. Signatures are not
  verified: the text is what matters here, and the envelope is kept as the file's sha256.
- ``.doc``: converted by Debian's ``antiword`` when it is installed, else refused with a hint.
- ``.html``: the visible text of the page, headings as markdown headings, list items as "- " lines,
  table rows as tab-separated cells; scripts, styles, navigation, headers and footers are dropped.
"""

from __future__ import annotations

import base64
import binascii
import email
import email.policy
import re
import shutil
import subprocess
from pathlib import Path

from ingest.errors import CorruptFile, UnsupportedFormat
from ingest.loaded import Loaded

MHTML_SUFFIXES = {".mhtml", ".mht"}
DOC_TIMEOUT = 120  # seconds for antiword on one file
_OID_SIGNED_DATA = bytes.fromhex("2a864886f70d010702")  # 1.2.840.113549.1.7.2
_OID_DATA = bytes.fromhex("2a864886f70d010701")  # 1.2.840.113549.1.7.1
_MAX_DEPTH = 64


# -- CAdES / CMS SignedData ---------------------------------------------------------------------

class _Ber:
    """A minimal BER reader: enough to walk ContentInfo -> SignedData -> encapContentInfo."""

    def __init__(self, data: bytes, name: str):
        self.data = data
        self.name = name

    def fail(self, why: str) -> CorruptFile:
        return CorruptFile(self.name, f"not a valid signed .p7m ({why})")

    def header(self, pos: int) -> tuple[int, bool, int, int | None]:
        """(tag byte, constructed, content start, content length or None for indefinite)."""
        d = self.data
        if pos + 2 > len(d):
            raise self.fail("truncated")
        tag = d[pos]
        pos += 1
        if tag & 0x1F == 0x1F:  # high tag number: skip its base-128 bytes
            while pos < len(d) and d[pos] & 0x80:
                pos += 1
            pos += 1
        if pos >= len(d):
            raise self.fail("truncated")
        first = d[pos]
        pos += 1
        if first == 0x80:
            if not tag & 0x20:
                raise self.fail("indefinite length on a primitive value")
            return tag, True, pos, None
        if first & 0x80:
            n = first & 0x7F
            if n > 8 or pos + n > len(d):
                raise self.fail("bad length")
            length = int.from_bytes(d[pos : pos + n], "big")
            pos += n
        else:
            length = first
        if pos + length > len(d):
            raise self.fail("truncated")
        return tag, bool(tag & 0x20), pos, length

    def children(self, start: int, length: int | None, depth: int = 0) -> list[tuple[int, bool, int, int, int]]:
        """Elements inside a constructed value: (tag, constructed, content start, content end, next position).

        For an indefinite-length element the next position is past its end-of-contents octets, so
        ``next != end`` tells the two encodings apart.
        """
        if depth > _MAX_DEPTH:
            raise self.fail("nested too deep")
        out = []
        pos, end = start, (None if length is None else start + length)
        while end is None or pos < end:
            if end is None and pos + 2 > len(self.data):
                raise self.fail("truncated (no end-of-contents)")
            if end is None and self.data[pos : pos + 2] == b"\x00\x00":
                break
            tag, cons, cstart, clen = self.header(pos)
            if clen is None:
                inner = self.children(cstart, None, depth + 1)
                cend = inner[-1][4] if inner else cstart
                nxt = cend + 2
            else:
                cend = nxt = cstart + clen
            out.append((tag, cons, cstart, cend, nxt))
            pos = nxt
            if pos > len(self.data):
                raise self.fail("truncated")
        return out

    def octets(self, el: tuple[int, bool, int, int, int], depth: int = 0) -> bytes:
        tag, cons, cstart, cend, _ = el
        if not cons:
            return self.data[cstart:cend]
        length = None if el[4] != cend else cend - cstart  # indefinite: the end-of-contents follows
        return b"".join(self.octets(c, depth + 1) for c in self.children(cstart, length, depth + 1))

    def element(self, pos: int) -> tuple[int, bool, int, int, int]:
        tag, cons, cstart, clen = self.header(pos)
        if clen is None:
            inner = self.children(cstart, None)
            cend = inner[-1][4] if inner else cstart
            return tag, cons, cstart, cend, cend + 2
        return tag, cons, cstart, cstart + clen, cstart + clen

    def kids(self, el: tuple[int, bool, int, int, int]) -> list[tuple[int, bool, int, int, int]]:
        tag, cons, cstart, cend, nxt = el
        if not cons:
            raise self.fail("expected a constructed value")
        return self.children(cstart, None if nxt != cend else cend - cstart)


def _dearmour(data: bytes) -> bytes:
    """DER from a base64 or PEM-armoured .p7m (both exist in the wild); DER input is returned as is."""
    if data[:1] == b"\x30":
        return data
    text = data.strip()
    if text.startswith(b"-----BEGIN"):
        text = b"".join(line for line in text.splitlines() if not line.startswith(b"-----"))
    try:
        decoded = base64.b64decode(b"".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        return data
    return decoded if decoded[:1] == b"\x30" else data


def unwrap_signed(data: bytes, name: str) -> bytes:
    """The signed file inside a CAdES/PKCS#7 envelope (one level).

    Args:
        data: the .p7m bytes (DER, BER, base64 or PEM).
        name: the file name, for error messages.

    Raises:
        CorruptFile: not SignedData, truncated, or a detached signature (no content inside).
    """
    ber = _Ber(_dearmour(data), name)
    top = ber.element(0)
    if top[0] != 0x30:
        raise ber.fail("no ASN.1 SEQUENCE at the start")
    parts = ber.kids(top)
    if len(parts) < 2 or parts[0][0] != 0x06 or ber.data[parts[0][2] : parts[0][3]] != _OID_SIGNED_DATA:
        raise ber.fail("not a CMS SignedData envelope")
    signed = ber.kids(parts[1])
    if not signed or signed[0][0] != 0x30:
        raise ber.fail("SignedData missing")
    fields = ber.kids(signed[0])
    encap = next((f for f in fields[2:3] if f[0] == 0x30), None)
    if encap is None:
        raise ber.fail("encapsulated content missing")
    encap_fields = ber.kids(encap)
    if len(encap_fields) < 2:
        raise CorruptFile(name, "detached signature: the signed file is not inside this .p7m; ingest the original file")
    if encap_fields[0][0] != 0x06 or ber.data[encap_fields[0][2] : encap_fields[0][3]] != _OID_DATA:
        raise ber.fail("the signed content is not plain data")
    wrapped = ber.kids(encap_fields[1])
    if not wrapped or wrapped[0][0] not in (0x04, 0x24):
        raise ber.fail("signed content is not an OCTET STRING")
    payload = ber.octets(wrapped[0])
    if not payload:
        raise CorruptFile(name, "the signed file inside the .p7m is empty")
    return payload


# -- legacy Word .doc ------------------------------------------------------------------------------

def load_doc(path: Path) -> Loaded:
    """Text of a legacy Word (97-2003) ``.doc`` through Debian's ``antiword``.

    Raises:
        UnsupportedFormat: antiword is not installed.
        CorruptFile: antiword cannot read the file (damaged, not Word, password-protected).
    """
    exe = shutil.which("antiword")
    if exe is None:
        raise UnsupportedFormat(path.name, "legacy Word .doc needs antiword (apt-get install antiword); "
                                           "or save the document as PDF or DOCX")
    try:
        run = subprocess.run([exe, "-m", "UTF-8.txt", "-w", "0", str(path)], capture_output=True,  # noqa: S603
                             timeout=DOC_TIMEOUT, check=False)
    except subprocess.TimeoutExpired as exc:
        raise CorruptFile(path.name, f"antiword did not finish in {DOC_TIMEOUT} s") from exc
    text = run.stdout.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")
    if run.returncode != 0 or not text.strip():
        why = (run.stderr.decode("utf-8", errors="replace").strip().splitlines() or ["no text"])[-1]
        why = why.replace(str(path), "").strip(" :") or "no text"
        raise CorruptFile(path.name, f"unreadable Word .doc (antiword: {why[:160]}); save it as PDF or DOCX")
    return Loaded(raw_text=text, mimetype="application/msword", encoding=None)


# -- web pages ---------------------------------------------------------------------------------------

_DROP = {"script", "style", "noscript", "template", "svg", "head", "nav", "header", "footer", "aside", "form",
         "button", "select", "iframe", "object", "canvas"}
_BLOCK = {"p", "div", "section", "article", "main", "blockquote", "pre", "address", "figure", "figcaption",
          "dl", "dt", "dd", "ul", "ol", "table", "thead", "tbody", "tfoot", "caption", "body", "center", "hr"}
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def decode_html(data: bytes, name: str, declared: str | None = None) -> tuple[str, str]:
    """Decode a page: BOM, then the declared charset (HTTP or <meta>), then UTF-8, then cp1252.

    Raises:
        CorruptFile: NUL bytes (binary content).
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    if b"\x00" in data[:65536]:
        raise CorruptFile(name, "binary content (NUL bytes) in a web page")
    m = _CHARSET.search(data[:4096])
    candidates = [c for c in (declared, m.group(1).decode("ascii", "ignore") if m else None) if c]
    for enc in [*candidates, "utf-8-sig", "cp1252"]:
        try:
            return data.decode(enc), enc.lower()
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("latin-1"), "latin-1"


def html_text(markup: str, name: str) -> str:
    """The readable text of an HTML page (see the module doc).

    Raises:
        CorruptFile: the markup cannot be parsed or holds no text.
    """
    import lxml.html  # noqa: PLC0415 - python-docx already depends on lxml

    try:
        root = lxml.html.document_fromstring(markup)
    except (ValueError, lxml.etree.ParserError) as exc:  # type: ignore[attr-defined]
        raise CorruptFile(name, f"unreadable web page ({exc})") from exc
    body = root.find("body")
    body = body if body is not None else root
    lines: list[str] = []
    current: list[str] = []

    def flush() -> None:
        text = " ".join("".join(current).split())
        if text:
            lines.append(text)
        current.clear()

    def walk(el, depth: int = 0) -> None:  # noqa: ANN001 - an lxml element
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if tag in _DROP or not isinstance(el.tag, str) or depth > 200:
            if el.tail:
                current.append(el.tail)
            return
        if el.get("hidden") is not None or "display:none" in (el.get("style") or "").replace(" ", ""):
            if el.tail:
                current.append(el.tail)
            return
        if re.fullmatch(r"h[1-6]", tag):
            flush()
            text = " ".join(el.text_content().split())
            if text:
                lines.append("#" * int(tag[1]) + " " + text)
        elif tag == "tr":
            flush()
            cells = [" ".join(c.text_content().split()) for c in el if isinstance(c.tag, str) and c.tag.lower() in {"td", "th"}]
            if any(cells):
                lines.append("\t".join(cells))
        elif tag == "li":
            flush()
            current.append("- ")
            _inline(el, depth)
            flush()
        elif tag == "br":
            flush()
        else:
            block = tag in _BLOCK
            if block:
                flush()
            _inline(el, depth)
            if block:
                flush()
        if el.tail:
            current.append(el.tail)

    def _inline(el, depth: int) -> None:  # noqa: ANN001
        if el.text:
            current.append(el.text)
        for child in el:
            walk(child, depth + 1)

    walk(body)
    flush()
    title = root.findtext(".//title")
    text = "\n\n".join(lines)
    if not text.strip():
        raise CorruptFile(name, "web page without text (only scripts, images or navigation)")
    if title and title.strip() and not text.startswith("#"):
        text = "# " + " ".join(title.split()) + "\n\n" + text
    return text + "\n"


def load_html(path: Path) -> Loaded:
    """A web page saved from a browser ("HTML only" or "complete", whose ``_files`` folder is ignored).

    Raises:
        CorruptFile: binary, unparsable or text-less page.
    """
    markup, encoding = decode_html(path.read_bytes(), path.name)
    return Loaded(raw_text=html_text(markup, path.name), mimetype="text/html", encoding=encoding)


def load_mhtml(path: Path) -> Loaded:
    """A page saved as a single file (``.mhtml``, MIME multipart): its first HTML part.

    Raises:
        CorruptFile: no HTML part, or as for ``load_html``.
    """
    msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.compat32)
    for part in msg.walk():
        if part.get_content_type() == "text/html":
            data = part.get_payload(decode=True) or b""
            markup, encoding = decode_html(data, path.name, part.get_content_charset())
            return Loaded(raw_text=html_text(markup, path.name), mimetype="multipart/related", encoding=encoding)
    raise CorruptFile(path.name, "no HTML part in this .mhtml file")
