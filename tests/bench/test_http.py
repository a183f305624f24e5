"""The load generator's HTTP client reads plain and chunked answers on one kept-alive connection."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from typing import Any

import pytest
from werkzeug.serving import BaseWSGIServer, make_server
from werkzeug.wrappers import Request, Response

from bench.http import Connection, Target, prepare
from tests.support.ports import free_port


def _app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    request = Request(environ)
    body = request.get_data()
    if request.path == "/chunked":
        response = Response((piece for piece in (b"ab", b"", b"cde", body)), status=200)
    else:
        response = Response(b"echo:" + body, status=201)
    return response(environ, start_response)


@pytest.fixture
def server() -> Iterator[str]:
    port = free_port()
    running: BaseWSGIServer = make_server("127.0.0.1", port, _app, threaded=True)
    running.protocol_version = "HTTP/1.1"  # type: ignore[attr-defined]
    threading.Thread(target=running.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        running.shutdown()
        running.server_close()


def test_plain_and_chunked_answers_on_one_connection(server: str) -> None:
    plain, chunked = Target.of(f"{server}/plain"), Target.of(f"{server}/chunked")
    connection = Connection(plain)
    try:
        for n in range(3):
            status, head, body = connection.request(prepare(plain, b"x" * n, {}))
            assert (status, body) == (201, b"echo:" + b"x" * n)
            assert head.startswith(b"HTTP/1.1 201")
        status, _, body = connection.request(prepare(chunked, b"fg", {}))
        assert (status, body) == (200, b"abcdefg")
    finally:
        connection.close()
