"""Inputs users really have: signed .p7m envelopes, legacy .doc, web pages saved from a browser.

The .p7m files are made here with OpenSSL (``cms -sign -nodetach``: DER, streamed BER with
indefinite lengths, PEM, base64, nested, detached) around PDFs and DOCX files made here too.
"""

from __future__ import annotations

import base64
import shutil
import subprocess
from pathlib import Path

import pytest

from ingest.errors import CorruptFile, IngestError, UnsupportedFormat
from ingest.loaders import load
from ingest.pipeline import discover, parse
from tests.conftest import SHARED
from tests.fixtures_ingest import make_text_pdf

TEXT = ("Accordo di Programma per l'attuazione del Piano di Zona 2025-2027 dell'Ambito di Lodi, "
        "ai sensi dell'art. 18 della L.R. 3/2008 e della legge 8 novembre 2000, n. 328.")
REAL_P7M = SHARED / "corpus" / "real" / "digipro_anci_lombardia" / "Convenzione_DigiPro_02.05.2018.p7m"
needs_openssl = pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl not installed")


@pytest.fixture(scope="module")
def signer(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl not installed")
    d = tmp_path_factory.mktemp("signer")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=Firma di prova",
                    "-days", "2", "-keyout", str(d / "key.pem"), "-out", str(d / "cert.pem")],
                   check=True, capture_output=True)
    return d / "cert.pem", d / "key.pem"


def sign(src: Path, out: Path, signer: tuple[Path, Path], *extra: str, outform: str = "DER") -> Path:
    cert, key = signer
    subprocess.run(["openssl", "cms", "-sign", "-binary", "-in", str(src), "-signer", str(cert), "-inkey", str(key),
                    "-outform", outform, "-out", str(out), *extra], check=True, capture_output=True)
    return out


@pytest.fixture
def pdf(tmp_path: Path) -> Path:
    return make_text_pdf(tmp_path / "accordo.pdf", [TEXT, "Art. 2 - Ufficio di Piano e Assemblea dei Sindaci."])


@pytest.mark.parametrize("variant", ["der", "ber-stream", "pem", "base64", "nested"])
def test_signed_pdf_is_unwrapped(tmp_path: Path, pdf: Path, signer: tuple[Path, Path], variant: str) -> None:
    out = tmp_path / "accordo.pdf.p7m"
    if variant == "der":
        sign(pdf, out, signer, "-nodetach")
    elif variant == "ber-stream":
        sign(pdf, out, signer, "-nodetach", "-stream")
        assert out.read_bytes()[1] == 0x80  # indefinite length at the top
    elif variant == "pem":
        sign(pdf, out, signer, "-nodetach", outform="PEM")
    elif variant == "base64":
        der = sign(pdf, tmp_path / "x.p7m", signer, "-nodetach")
        out.write_bytes(base64.encodebytes(der.read_bytes()))
    else:
        inner = sign(pdf, tmp_path / "accordo.pdf.p7m.tmp", signer, "-nodetach")
        out = sign(inner, tmp_path / "accordo.pdf.p7m.p7m", signer, "-nodetach")
    loaded = load(out)
    assert loaded.mimetype == "application/pdf" and len(loaded.pages) == 2
    assert "L.R. 3/2008" in loaded.raw_text and "Ufficio di Piano" in loaded.raw_text
    doc = parse(out, ocr="never")
    assert doc.source == out.name and {c.norm_id for c in doc.citations} >= {"lr.lombardia:2008:3", "legge:2000:328"}


def test_signed_docx_is_unwrapped(tmp_path: Path, signer: tuple[Path, Path]) -> None:
    import docx

    d = docx.Document()
    d.add_heading("Piano di Zona 2025-2027", level=1)
    d.add_paragraph(TEXT)
    src = tmp_path / "piano.docx"
    d.save(str(src))
    loaded = load(sign(src, tmp_path / "piano.docx.p7m", signer, "-nodetach"))
    assert loaded.raw_text.startswith("# Piano di Zona 2025-2027") and "L.R. 3/2008" in loaded.raw_text


def test_bad_signed_files_fail_with_one_clear_line(tmp_path: Path, pdf: Path, signer: tuple[Path, Path]) -> None:
    detached = sign(pdf, tmp_path / "firma.pdf.p7m", signer)  # signature only, no content
    with pytest.raises(CorruptFile, match=r"^firma\.pdf\.p7m: detached signature"):
        load(detached)
    whole = sign(pdf, tmp_path / "x.p7m", signer, "-nodetach").read_bytes()
    cases = {
        "troncato.pdf.p7m": whole[: len(whole) // 2],
        "nonfirmato.pdf.p7m": b"\x30\x03\x02\x01\x01",
        "testo.pdf.p7m": b"questo non e' un file firmato",
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        with pytest.raises(IngestError) as err:
            load(tmp_path / name)
        message = str(err.value)
        assert message.startswith(f"{name}: ") and message.count(name) == 1 and "\n" not in message, message
    broken_pdf = tmp_path / "rotto.pdf"
    broken_pdf.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 50)
    with pytest.raises(CorruptFile, match=r"^rotto\.pdf\.p7m: signed PDF inside: "):
        load(sign(broken_pdf, tmp_path / "rotto.pdf.p7m", signer, "-nodetach"))
    exe = tmp_path / "programma.exe"
    exe.write_bytes(b"\x7fELF" + b"\x01" * 100)
    with pytest.raises(UnsupportedFormat, match="ELF"):
        load(sign(exe, tmp_path / "programma.exe.p7m", signer, "-nodetach"))


def test_real_signed_word_file(monkeypatch: pytest.MonkeyPatch) -> None:
    if not REAL_P7M.is_file():
        pytest.skip(f"{REAL_P7M} not found")
    if shutil.which("antiword"):
        doc = parse(REAL_P7M, ocr="never")
        assert doc.mimetype == "application/msword" and "DigiPro" in doc.raw_text and doc.citations
    monkeypatch.setenv("PATH", "")  # the converter is missing: one clear line, no crash
    with pytest.raises(UnsupportedFormat, match=r"^Convenzione_DigiPro_02\.05\.2018\.p7m: .*save the document as PDF or DOCX"):
        load(REAL_P7M)


def test_html_page_saved_from_a_browser(tmp_path: Path) -> None:
    page = tmp_path / "ambito.html"
    page.write_bytes(("""<!DOCTYPE html><html><head><meta charset="windows-1252"><title>Ambito di Lodi - Regione Lombardia</title>
<style>body{color:red}</style><script>var x = "CREATE";</script></head><body>
<header><nav><a href="/">Home</a> | <a href="/x">Servizi</a></nav></header>
<main><h1>Piano di Zona 2025&ndash;2027</h1><p>Regione Lombardia</p><p>L'Ufficio di Piano, ai sensi della
<b>L.R. 3/2008</b>, coordina il Tavolo tecnico.</p>
<ul><li>Servizio di assistenza domiciliare</li><li>Agenzia per l'abitare</li></ul>
<table><tr><th>Comune</th><th>Abitanti</th></tr><tr><td>Lodi</td><td>45.000</td></tr></table>
<div hidden>nascosto</div></main><footer>Cookie policy</footer></body></html>""").encode("cp1252"))
    assets = tmp_path / "ambito_files"
    assets.mkdir()
    (assets / "frame.html").write_text("<html><body>pubblicità</body></html>", encoding="utf-8")
    loaded = load(page)
    text = loaded.raw_text
    assert loaded.encoding == "windows-1252" and loaded.mimetype == "text/html"
    assert "# Piano di Zona 2025–2027" in text and "ai sensi della L.R. 3/2008, coordina" in text
    assert "- Agenzia per l'abitare" in text and "Lodi\t45.000" in text
    for absent in ("CREATE", "color:red", "Home", "Cookie", "nascosto"):
        assert absent not in text
    assert list(discover([tmp_path])) == [page]  # the browser's assets folder is not a document
    doc = parse(page)
    assert "lr.lombardia:2008:3" in {c.norm_id for c in doc.citations}


def test_mhtml_and_bad_pages(tmp_path: Path) -> None:
    mhtml = tmp_path / "pagina.mhtml"
    mhtml.write_bytes(b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"B\"\r\n\r\n--B\r\n"
                      b"Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
                      b"<html><body><p>Piano di Zona: l=E2=80=99Ambito di Lodi</p></body></html>\r\n--B--\r\n")
    assert "l’Ambito di Lodi" in load(mhtml).raw_text
    empty = tmp_path / "vuota.html"
    empty.write_text("<html><head><script>x()</script></head><body><nav>menu</nav></body></html>", encoding="utf-8")
    with pytest.raises(CorruptFile, match=r"^vuota\.html: web page without text"):
        load(empty)
    fake = tmp_path / "finta.html"
    fake.write_bytes(b"%PDF-1.4 ...")
    with pytest.raises(CorruptFile, match=r"^finta\.html: binary content \(PDF\).*rename it to \.pdf"):
        load(fake)


def test_doc_checks_its_content(tmp_path: Path) -> None:
    fake = tmp_path / "vecchio.doc"
    fake.write_text("solo testo", encoding="utf-8")
    with pytest.raises(CorruptFile, match=r"^vecchio\.doc: not a Word \.doc"):
        load(fake)
