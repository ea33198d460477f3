"""Limits on a connection before the application sees its request: the endpoint's HTTP layer.

The HTTP server (uvicorn with httptools) holds any connection for as long as the client wants
and keeps every header byte it is sent. Under the endpoint it is given this protocol instead,
which answers, with the endpoint's JSON error shape, and closes the connection:

* 414 when the request line (a GET's query) is longer than the head may be, 431 when the
  headers are; they are counted before the parser is fed, so nothing more of them is kept;
* 400 with that shape (not the server's plain text) for what is not HTTP;
* 408 when the head does not arrive in time (a silent connection, one byte at a time), counted
  from the connection's start or from the previous response on a kept-alive connection;
* 408 when the body does not arrive in time once the head has (a body that never ends, a
  Content-Length never met).
"""
from __future__ import annotations

import json

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

REASONS = {400: b"Bad Request", 408: b"Request Timeout", 414: b"URI Too Long", 431: b"Request Header Fields Too Large"}


def refusal(status: int, code: str, message: str, headers: list[tuple[bytes, bytes]]) -> bytes:
    """A whole HTTP response that closes the connection, with the pinned error body."""
    body = json.dumps({"status": status, "error": code, "message": message}).encode()
    lines = [b"HTTP/1.1 %d %s" % (status, REASONS[status]), b"content-type: application/json",
             b"content-length: %d" % len(body), b"connection: close"]
    lines += [name + b": " + value for name, value in headers]
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


def limited_protocol(max_head: int, head_seconds: float, body_seconds: float,
                     headers: list[tuple[bytes, bytes]]) -> type[HttpToolsProtocol]:
    """uvicorn's httptools protocol with these limits (`headers` go on every refusal)."""

    class LimitedHttp(HttpToolsProtocol):
        def connection_made(self, transport) -> None:
            super().connection_made(transport)
            self._head_bytes, self._line_done, self._in_head, self._timer = 0, False, True, None
            self._arm(head_seconds, "head")

        def _arm(self, seconds: float, part: str) -> None:
            if self._timer is not None:
                self._timer.cancel()
            self._timer = self.loop.call_later(seconds, self._too_slow, part, seconds)

        def _refuse(self, status: int, code: str, message: str) -> None:
            if self._timer is not None:
                self._timer.cancel()
            cycle = getattr(self, "cycle", None)
            if not self.transport.is_closing():
                if cycle is None or not cycle.response_started:
                    self.transport.write(refusal(status, code, message, headers))
                self.transport.close()

        def _too_slow(self, part: str, seconds: float) -> None:
            self._timer = None
            what = "the request line and headers" if part == "head" else "the request body"
            self._refuse(408, "request-timeout", f"{what} did not arrive within {seconds:g} s")

        def data_received(self, data: bytes) -> None:
            if self._in_head:                   # counted before the parser sees it (it keeps what it is fed)
                end = data.find(b"\r\n\r\n")
                head = self._head_bytes + (len(data) if end < 0 else end + 4)
                line = data.find(b"\n")
                if head > max_head and not (self._line_done or 0 <= line < max_head - self._head_bytes):
                    return self._refuse(414, "uri-too-long", f"the request line is longer than {max_head} bytes; "
                                        f"send long queries with POST")
                if head > max_head:
                    return self._refuse(431, "headers-too-large",
                                        f"the request's line and headers are longer than {max_head} bytes")
                self._head_bytes, self._line_done = head, self._line_done or line >= 0
            super().data_received(data)

        def send_400_response(self, msg: str) -> None:
            self._refuse(400, "bad-request", "the request is not valid HTTP/1.1")

        def on_headers_complete(self) -> None:
            self._in_head = False
            self._arm(body_seconds, "body")
            super().on_headers_complete()

        def on_message_complete(self) -> None:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            super().on_message_complete()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing():
                self._in_head, self._head_bytes, self._line_done = True, 0, False
                self._arm(head_seconds, "head")

        def connection_lost(self, exc) -> None:
            if self._timer is not None:
                self._timer.cancel()
            super().connection_lost(exc)

    return LimitedHttp
