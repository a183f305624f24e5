"""An HTTP relay on loopback between the repository and a real registry: it forwards each request
and its answer unchanged, except that while `hold` is set it keeps the answer of a forwarded
request back until `release` is set (the registry committed; its answer is lost on the way)."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import requests
from werkzeug.serving import BaseWSGIServer, make_server
from werkzeug.wrappers import Request, Response

from tests.support.ports import free_port

HOLD_LIMIT_SECONDS = 120.0
_HOP_BY_HOP = {"connection", "content-length", "host", "transfer-encoding", "keep-alive"}


@dataclass
class Relay:
    target: str
    hold: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    forwarded: int = 0
    port: int = field(default_factory=free_port)
    _server: BaseWSGIServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/xds/registry"

    def start(self) -> Relay:
        self._server = make_server("127.0.0.1", self.port, self.wsgi, threaded=True)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.release.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def wsgi(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = Request(environ)
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _HOP_BY_HOP}
        answer = requests.post(self.target, data=request.get_data(), headers=headers, timeout=60)
        self.forwarded += 1
        if self.hold.is_set():
            self.release.wait(HOLD_LIMIT_SECONDS)
        response = Response(answer.content, status=answer.status_code)
        response.headers["Content-Type"] = answer.headers.get("Content-Type", "")
        return response(environ, start_response)
