"""Build small WARC archives in memory for tests (and the bundled sample crawl)."""

from __future__ import annotations

import io

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter


def build_warc(
    responses: list[tuple[str, bytes, str]], *, gzip: bool = True, date: str = "2025-04-16T09:30:00Z"
) -> bytes:
    """A WARC holding a warcinfo record, then a request and a response per (url, body, content type)."""
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gzip)
    writer.write_record(writer.create_warcinfo_record("sample.warc", {"software": "newsevents tests"}))
    for url, body, ctype in responses:
        req = StatusAndHeaders("GET / HTTP/1.1", [("Host", url.split("/")[2])], is_http_request=True)
        writer.write_record(
            writer.create_warc_record(url, "request", http_headers=req, warc_headers_dict={"WARC-Date": date})
        )
        headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(body),
                http_headers=headers,
                warc_headers_dict={"WARC-Date": date},
            )
        )
    return buf.getvalue()
