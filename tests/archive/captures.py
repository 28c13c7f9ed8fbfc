"""Small real captures made in the test: WARC and WACZ written with warcio (the WACZ with its page list, CDXJ index
and package digests, as the WACZ 1.1.1 specification lays them out), a JPEG carrying EXIF time and GPS position,
a PDF and a text file."""
from __future__ import annotations

import hashlib
import io
import json
import zipfile

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

PAGE = b"<!doctype html><html><head><title>Report</title></head><body><h1>Airlift report</h1><p>CANARY-REPLAY Il-76 landed at Benina.</p></body></html>"
STAMP = (2024, 12, 15, 9, 30, 0)


def warc(url: str = "https://example.org/report", body: bytes = PAGE, date: str = "2024-12-15T09:30:00Z",
         gz: bool = False) -> bytes:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gz)
    info = writer.create_warcinfo_record("capture.warc", {"software": "test-capturer 1.0"})
    info.rec_headers.replace_header("WARC-Record-ID", "<urn:uuid:00000000-0000-4000-8000-000000000001>")
    info.rec_headers.replace_header("WARC-Date", date)
    writer.write_record(info)
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                       ("Content-Length", str(len(body)))], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http,
                                                  warc_headers_dict={"WARC-Date": date, "WARC-Record-ID":
                                                                     "<urn:uuid:00000000-0000-4000-8000-000000000002>"}))
    return out.getvalue()


def _cdxj(warc_gz: bytes, filename: str) -> bytes:
    lines = []
    iterator = ArchiveIterator(io.BytesIO(warc_gz))
    for record in iterator:
        if record.rec_type != "response":
            continue
        url = record.rec_headers.get_header("WARC-Target-URI")
        stamp = record.rec_headers.get_header("WARC-Date").replace("-", "").replace(":", "").replace("T", "").rstrip("Z")
        digest = record.rec_headers.get_header("WARC-Payload-Digest")
        record.content_stream().read()
        iterator.read_to_end(record)
        host, _, path = url.split("://", 1)[1].partition("/")
        surt = ",".join(reversed(host.split("."))) + ")/" + path
        fields = {"url": url, "mime": "text/html", "status": "200", "digest": digest,
                  "length": str(iterator.get_record_length()), "offset": str(iterator.get_record_offset()),
                  "filename": filename}
        lines.append(f"{surt} {stamp} {json.dumps(fields)}")
    return ("\n".join(sorted(lines)) + "\n").encode()


def wacz(url: str = "https://example.org/report", date: str = "2024-12-15T09:30:00Z", body: bytes = PAGE) -> bytes:
    data = warc(url, body, date, gz=True)
    pages = (b'{"format": "json-pages-1.0", "id": "pages", "title": "All Pages"}\n'
             + json.dumps({"id": "p1", "url": url, "ts": date, "title": "Report"}).encode() + b"\n")
    files = {"archive/data.warc.gz": data, "indexes/index.cdx": _cdxj(data, "data.warc.gz"),
             "pages/pages.jsonl": pages}
    resources = [{"name": name.rsplit("/", 1)[-1], "path": name, "hash": "sha256:" + hashlib.sha256(b).hexdigest(),
                  "bytes": len(b)} for name, b in files.items()]
    package = json.dumps({"profile": "data-package", "wacz_version": "1.1.1", "software": "test-capturer 1.0",
                          "created": date, "resources": resources}, indent=2).encode()
    digest = json.dumps({"path": "datapackage.json", "hash": "sha256:" + hashlib.sha256(package).hexdigest()}).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, body_bytes in [*files.items(), ("datapackage.json", package), ("datapackage-digest.json", digest)]:
            archive.writestr(zipfile.ZipInfo(name, STAMP), body_bytes)
    return out.getvalue()


def jpeg_with_gps() -> bytes:
    """A small photo with EXIF time (local, with its offset), camera serial, author and GPS position."""
    from PIL import Image

    image = Image.new("RGB", (64, 48), (180, 40, 40))
    exif = Image.Exif()
    exif[0x013B] = "CANARY-AUTHOR"  # Artist
    detail = exif.get_ifd(0x8769)
    detail[36867] = "2024:12:15 11:30:00"  # DateTimeOriginal
    detail[36881] = "+02:00"  # OffsetTimeOriginal
    detail[0xA431] = "CANARY-SERIAL"  # BodySerialNumber
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (32.0, 5.0, 45.0), 3: "E", 4: (20.0, 16.0, 10.0)})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<< /Type /Catalog >>endobj\ntrailer<< /Root 1 0 R >>\n%%EOF\n"
TEXT = b"What the post said, as saved.\n"
