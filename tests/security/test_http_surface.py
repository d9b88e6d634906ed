"""Regression (security items 7, 8 and 10) against the real app in prod mode, over HTTP and in Chromium.

On the old code: no security header at all; CORS reflected any origin with credentials on the API
and the event websocket; an unknown ``/api`` path got the page's HTML 404 and a wrong method a
plain-text 405 from Reflex's static files; the docs page loaded Swagger UI from a CDN.
"""

from __future__ import annotations

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor

import aiohttp
import httpx
import pytest
from playwright.sync_api import expect

from tests.support.browser import LIVE_TIMEOUT_MS, app_with, invite, new_application, open_ready

pytestmark = pytest.mark.browser

EVIL = "https://attacker.example"
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation',
    (e) => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
"""


@pytest.fixture
def app_url(shared_app, database, db_name, tmp_path_factory):
    env = {"INTERVIEW_API_DOCS": "true", "INTERVIEW_TRUSTED_PROXY_HOPS": "1"}  # as behind one reverse proxy
    return app_with(shared_app, database, db_name, tmp_path_factory, env)


def script_sources(policy: str) -> list[str]:
    directive = next(d.strip() for d in policy.split(";") if d.strip().startswith("script-src "))
    return directive.split()[1:]


def test_every_response_carries_the_security_headers(app_url):
    page_html = httpx.get(f"{app_url}/interview/some-app").text
    asset = re.search(r'src="(/assets/[^"]+\.js)"|href="(/assets/[^"]+\.js)"', page_html)
    assert asset
    paths = [
        "/",
        "/interview/some-app",
        asset.group(1) or asset.group(2),
        "/interview.css",
        "/api/health",
        "/api/no-such-path",
        "/api/docs",
        "/ping",
    ]
    for path in paths:
        response = httpx.get(f"{app_url}{path}")
        headers = response.headers
        assert headers.get("x-content-type-options") == "nosniff", path
        assert headers.get("referrer-policy") == "no-referrer", path
        assert headers.get("permissions-policy") == "camera=(self), microphone=(self)", path
        policy = headers.get("content-security-policy", "")
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy, path
        assert "object-src 'none'" in policy and "base-uri 'none'" in policy, path
        sources = script_sources(policy)
        assert sources[0] == "'self'" and all(s.startswith("'sha256-") for s in sources[1:]), path
        assert not re.search(r"https?:|\*|'unsafe-(inline|eval)'", " ".join(sources)), path


def test_the_call_goes_live_under_the_policy_with_no_violation(browser, app_url, db):
    context = browser.new_context()
    context.add_init_script(RECORD_CSP_VIOLATIONS)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    try:
        open_ready(page, invite(app_url, new_application(db)))
        page.click("#start-interview")
        expect(page.locator("#interview-phase")).to_have_text("live", timeout=LIVE_TIMEOUT_MS)
        expect(page.locator("#interview-feed")).to_contain_text("Platform Engineer", timeout=LIVE_TIMEOUT_MS)
        assert page.evaluate("window.__cspViolations") == []
        assert not [line for line in console if "Content Security Policy" in line]
        page.click("#end-interview")
    finally:
        context.close()


def test_behind_a_proxy_the_session_records_the_candidates_address(browser, app_url, db):
    """The proxy's ``X-Forwarded-For`` reaches Reflex's websocket; the page passes the address on."""
    context = browser.new_context(extra_http_headers={"X-Forwarded-For": "203.0.113.7"})
    page = context.new_page()
    try:
        app_id = new_application(db)
        open_ready(page, invite(app_url, app_id))
        page.click("#start-interview")
        expect(page.locator("#interview-phase")).to_have_text("live", timeout=LIVE_TIMEOUT_MS)
        session = db.interviewSessions.find_one({"applicationId": app_id})
        assert session["metadata"]["ipAddress"] == "203.0.113.7"
        page.click("#end-interview")
    finally:
        context.close()


def test_the_docs_page_works_from_this_server_alone(browser, app_url):
    context = browser.new_context()
    context.add_init_script(RECORD_CSP_VIOLATIONS)
    page = context.new_page()
    elsewhere: list[str] = []
    page.on("request", lambda request: None if request.url.startswith(app_url) else elsewhere.append(request.url))
    try:
        page.goto(f"{app_url}/api/docs")
        expect(page.locator("#swagger-ui")).to_contain_text("/api/interview/start-session", timeout=15_000)
        assert elsewhere == []
        assert page.evaluate("window.__cspViolations") == []
    finally:
        context.close()


@pytest.mark.parametrize(
    ("method", "path", "status", "allow"),
    [
        ("GET", "/api/no-such-path", 404, None),
        ("GET", "/api", 404, None),
        ("POST", "/api/interview/no/such/path", 404, None),
        ("GET", "/api/interview/realtime/calls/call_x/extra", 404, None),
        ("PUT", "/api/health", 405, "GET"),
        ("GET", "/api/interview/start-session", 405, "POST"),
        ("PATCH", "/api/interview/realtime/calls", 405, "POST"),
    ],
)
def test_unknown_api_paths_and_methods_answer_in_the_error_shape(app_url, method, path, status, allow):
    response = httpx.request(method, f"{app_url}{path}")
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["code"] == {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED"}[status] and body["error"]
    if allow:
        assert response.headers["allow"] == allow


def test_cors_allows_only_the_public_origin(app_url):
    for request in [
        lambda origin: httpx.get(f"{app_url}/api/health", headers={"Origin": origin}),
        lambda origin: httpx.options(
            f"{app_url}/api/interview/start-session",
            headers={
                "Origin": origin,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization,content-type",
            },
        ),
    ]:
        assert "access-control-allow-origin" not in request(EVIL).headers
        assert request(app_url).headers["access-control-allow-origin"] == app_url


async def websocket_opens(app_url: str, origin: str) -> bool:
    url = app_url.replace("http://", "ws://") + "/_event/?EIO=4&transport=websocket"
    async with aiohttp.ClientSession() as session:
        try:
            async with session.ws_connect(url, origin=origin) as ws:
                message = await asyncio.wait_for(ws.receive(), 5)  # engine.io's "open" packet
                return message.type == aiohttp.WSMsgType.TEXT and message.data.startswith("0")
        except aiohttp.WSServerHandshakeError:
            return False


def websocket_opens_from(app_url: str, origin: str) -> bool:
    """In a thread of its own: Playwright's sync API keeps an event loop running in this one."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, websocket_opens(app_url, origin)).result()


def test_the_event_websocket_refuses_other_origins(app_url):
    assert websocket_opens_from(app_url, app_url) is True
    assert websocket_opens_from(app_url, EVIL) is False
