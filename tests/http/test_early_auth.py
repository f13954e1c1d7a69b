"""Large bodies are refused unread: on their Content-Length (whoever sends them), at the limit when they have
none, and before anything is read when the upload comes from nobody (no token, a bad token) -- on a real server,
over a raw socket. Every refusal is problem details."""

from __future__ import annotations

import select
import socket
import time
from dataclasses import replace

import pytest

from kotacerdas.web.app import create_app
from tests.conftest import settings_for, token_for
from tests.live import LiveServer

UPLOAD = "/api/v1/cities/35.10/network"
BOUNDARY = "kcboundary"


def _head(path: str, length: int | None, token: str | None = None) -> bytes:
    lines = [
        f"POST {path} HTTP/1.1",
        "Host: 127.0.0.1",
        f"Content-Type: multipart/form-data; boundary={BOUNDARY}",
    ]
    lines.append(f"Content-Length: {length}" if length is not None else "Transfer-Encoding: chunked")
    if token:
        lines.append(f"Authorization: Bearer {token}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def _part_start() -> bytes:
    return (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.osm"\r\n'
        "Content-Type: application/xml\r\n\r\n"
    ).encode()


def _answer(sock: socket.socket, timeout: float = 5.0) -> tuple[int, bytes]:
    sock.settimeout(timeout)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    status = int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/1.1") else 0
    return status, data


@pytest.fixture
def server(seeded, tmp_path):
    settings = replace(settings_for(seeded, tmp_path), max_upload_mb=1.0)
    app = create_app(settings, engine=seeded)
    with LiveServer(app) as base:
        yield app, int(base.rsplit(":", 1)[1])


def _connect(port: int) -> socket.socket:
    return socket.create_connection(("127.0.0.1", port), timeout=5)


@pytest.mark.slow
def test_anonymous_and_badly_signed_uploads_are_refused_before_the_body_is_read(server):
    _app, port = server
    for token in (None, "kc_not-a-real-token"):
        for length, expected in ((200_000_000, 413), (900_000, 401)):  # over the limit; under it, but never sent
            with _connect(port) as sock:
                t0 = time.perf_counter()
                sock.sendall(_head(UPLOAD, length, token) + _part_start() + b"<osm>")
                status, data = _answer(sock)
                assert status == expected and b"application/problem+json" in data, data[:300]
                assert time.perf_counter() - t0 < 2


@pytest.mark.slow
def test_a_signed_in_upload_over_the_limit_is_refused_on_its_content_length(server):
    app, port = server
    with _client(port) as c:
        token = token_for(c, "roadofficer.3510")["Authorization"].split()[1]
    with _connect(port) as sock:
        sock.sendall(_head(UPLOAD, 200_000_000, token) + _part_start())
        status, data = _answer(sock)
    assert status == 413 and b"application/problem+json" in data, data[:300]


@pytest.mark.slow
def test_reading_stops_at_the_limit_when_there_is_no_content_length(server):
    _app, port = server
    with _client(port) as c:
        token = token_for(c, "roadofficer.3510")["Authorization"].split()[1]
    block = b"<node/>" * 9000  # 63 KB
    sent = 0
    status = 0
    with _connect(port) as sock:
        sock.sendall(_head(UPLOAD, None, token))
        first = _part_start() + block
        sock.sendall(f"{len(first):x}\r\n".encode() + first + b"\r\n")
        while sent < 50_000_000:
            ready, _, _ = select.select([sock], [], [], 0)
            if ready:
                status, _data = _answer(sock)
                break
            try:
                sock.sendall(f"{len(block):x}\r\n".encode() + block + b"\r\n")
            except (BrokenPipeError, ConnectionResetError):
                status, _data = _answer(sock)
                break
            sent += len(block)
    assert status == 413 and sent < 20_000_000, (status, sent)


def _client(port: int):
    import httpx

    return httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10)


def test_an_anonymous_upload_is_a_401_problem_in_process(client):
    r = client.post(UPLOAD, files={"file": ("x.osm", b"<osm/>")}, headers={"Accept-Language": "en"})
    assert r.status_code == 401 and r.headers["content-type"].startswith("application/problem+json")
    assert "Sign in" in r.json()["detail"]
    r = client.post(UPLOAD, files={"file": ("x.osm", b"<osm/>")}, headers={"Authorization": "Bearer nope"})
    assert r.status_code == 401
    client.cookies.set("kc_session", "forged")  # a cookie write without the CSRF token: refused as cross-site
    r = client.post(UPLOAD, files={"file": ("x.osm", b"<osm/>")})
    assert r.status_code == 403 and r.headers["content-type"].startswith("application/problem+json")
    client.cookies.set("kc_csrf", "t")
    r = client.post(UPLOAD, files={"file": ("x.osm", b"<osm/>")}, headers={"X-CSRF-Token": "t"})
    assert r.status_code == 401  # our own page's script, but the session is not a real one


def test_a_signed_in_upload_still_reaches_its_route(client, auth):
    r = client.post(UPLOAD, files={"file": ("x.osm", b"<osm/>")}, headers=auth("public.3510"))
    assert r.status_code == 403  # signed in, without the role: the route's own check answers
