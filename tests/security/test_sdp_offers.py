"""Regression (security items 3 and 5, signaling): the server is no UDP scanner, and a bad offer is a 400.

On the old code an offer's ``a=candidate`` lines pointing at loopback ports made the server send
STUN requests there, any number of candidates was accepted, and a malformed m-line or a NUL byte
in ``a=mid`` crashed aiortc into a 500.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest

from interview_app.realtime import ice
from tests.support.api_app import add_application, api_client
from tests.support.rtc_client import CALLS, CandidateCall
from tests.support.sessions import offline_token

ice.configure(["127.0.0.1"])
STUN_WAIT_S = 2.5


@pytest.fixture(autouse=True)
def open_application(sync_db):
    """Offline grants place calls only for applications that exist and are open (issue 15 C9)."""
    if sync_db.applications.find_one({"_id": "app-sdp"}) is None:  # the database is the module's
        add_application(sync_db, "app-sdp")


@pytest.fixture
def settings(settings):
    """Production: loopback candidates are refused unless explicitly allowed."""
    return replace(settings, prod=True, require_auth=True, ice_allow_loopback=False, ice_host_addresses=["127.0.0.1"])


async def offer_without_candidates() -> str:
    call = CandidateCall()
    try:
        sdp = await call.offer()
    finally:
        await call.close()
    return "".join(line + "\r\n" for line in sdp.splitlines() if not line.startswith(("a=candidate:", "a=end-of")))


def with_candidates(sdp: str, ports: list[int], address: str = "127.0.0.1", transport: str = "udp") -> str:
    """The offer with host candidates at ``address:port`` in its first m-section."""
    lines = sdp.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("m=")) + 1
    suffix = " tcptype active" if transport == "tcp" else ""
    candidates = [
        f"a=candidate:{n} 1 {transport} 2130706431 {address} {port} typ host{suffix}" for n, port in enumerate(ports)
    ]
    return "\r\n".join(lines[:at] + candidates + lines[at:]) + "\r\n"


class Listener(asyncio.DatagramProtocol):
    """A UDP port that counts what arrives (the server's STUN checks)."""

    def __init__(self):
        self.datagrams = 0

    def datagram_received(self, data, addr):
        self.datagrams += 1


@pytest.fixture
async def listeners():
    loop = asyncio.get_running_loop()
    opened = [await loop.create_datagram_endpoint(Listener, local_addr=("127.0.0.1", 0)) for _ in range(8)]
    yield [(transport.get_extra_info("sockname")[1], protocol) for transport, protocol in opened]
    for transport, _ in opened:
        transport.close()


async def post_offer(client, sdp: str | bytes, application_id: str = "app-sdp"):
    return await client.post(
        CALLS,
        content=sdp,
        headers={"Content-Type": "application/sdp", "Authorization": f"Bearer {offline_token(application_id)}"},
    )


async def hang_up_all(client) -> None:
    await client.api.state.runtime.calls.close_all()


async def test_loopback_candidates_get_no_stun_requests_in_production(client, listeners):
    offer = with_candidates(await offer_without_candidates(), [port for port, _ in listeners])
    response = await post_offer(client, offer)
    try:
        assert response.status_code == 201
        await asyncio.sleep(STUN_WAIT_S)
        assert sum(listener.datagrams for _, listener in listeners) == 0
    finally:
        await hang_up_all(client)


async def test_loopback_candidates_are_used_when_allowed(settings, listeners):
    """The control: with ``INTERVIEW_ICE_ALLOW_LOOPBACK`` the same offer is checked (as the browser tests need)."""
    async with api_client(replace(settings, ice_allow_loopback=True)) as client:
        offer = with_candidates(await offer_without_candidates(), [port for port, _ in listeners])
        response = await post_offer(client, offer)
        try:
            assert response.status_code == 201
            for _ in range(int(STUN_WAIT_S / 0.1)):
                if all(listener.datagrams for _, listener in listeners):
                    break
                await asyncio.sleep(0.1)
            assert all(listener.datagrams for _, listener in listeners)
        finally:
            await hang_up_all(client)


@pytest.mark.parametrize(
    "address", ["127.0.0.1", "169.254.1.1", "224.0.0.1", "0.0.0.0", "::1", "fe80::1", "::ffff:127.0.0.1"]
)
async def test_refused_addresses_are_dropped_from_the_answered_offer(client, address):
    registry = client.api.state.runtime.calls
    seen: list[str] = []
    answer = registry.start

    async def recording_start(grant, offer_sdp):
        seen.append(offer_sdp)
        return await answer(grant, offer_sdp)

    registry.start = recording_start
    try:
        response = await post_offer(client, with_candidates(await offer_without_candidates(), [9999], address))
        assert response.status_code == 201
        assert "a=candidate:" not in seen[0]
    finally:
        await hang_up_all(client)


async def answered_candidates(client, address: str) -> list[str]:
    """The candidates the ICE agent was given for an offer naming ``address`` and a public one."""
    registry = client.api.state.runtime.calls
    seen: list[str] = []
    answer = registry.start

    async def recording_start(grant, offer_sdp):
        seen.append(offer_sdp)
        return await answer(grant, offer_sdp)

    registry.start = recording_start
    offer = with_candidates(await offer_without_candidates(), [9999], address)
    offer = with_candidates(offer, [9998], "198.51.100.7")
    try:
        response = await post_offer(client, offer)
        assert response.status_code == 201, response.text
    finally:
        await hang_up_all(client)
    return [line.split()[4] for line in seen[0].splitlines() if line.startswith("a=candidate:")]


def this_hosts_address() -> str:
    own = sorted(str(ip) for ip in ice.own_addresses() if not ip.is_loopback and not ip.is_link_local)
    return own[0] if own else "127.0.0.1"


@pytest.mark.parametrize("address", ["10.1.2.3", "172.20.0.4", "192.168.0.8", "100.64.3.3", "fd00::5", "own"])
async def test_private_and_own_addresses_are_dropped_in_production(client, settings, address):
    """Regression (issue 15 D11): on the old code the server sent STUN checks to its private network
    and to itself; ``INTERVIEW_ICE_ALLOW_PRIVATE=true`` keeps them (a private deployment)."""
    address = this_hosts_address() if address == "own" else address
    assert await answered_candidates(client, address) == ["198.51.100.7"]
    if address != "127.0.0.1":
        async with api_client(replace(settings, ice_allow_private=True)) as allowing:
            assert sorted(await answered_candidates(allowing, address)) == sorted([address, "198.51.100.7"])


async def test_more_than_eight_candidates_is_invalid_sdp(client):
    offer = with_candidates(await offer_without_candidates(), list(range(20000, 20009)), "192.0.2.10")
    response = await post_offer(client, offer)
    assert response.status_code == 400 and response.json()["code"] == "INVALID_SDP"
    assert client.api.state.runtime.calls.calls == {}


async def test_tcp_candidates_are_dropped_and_count_towards_the_cap(client):
    """Chromium lists a TCP candidate beside each UDP one; the server never uses them, but they
    count towards the cap (issue 15 D11: on the old code any number of them was accepted)."""
    registry = client.api.state.runtime.calls
    seen: list[str] = []
    answer = registry.start

    async def recording_start(grant, offer_sdp):
        seen.append(offer_sdp)
        return await answer(grant, offer_sdp)

    registry.start = recording_start
    offer = with_candidates(await offer_without_candidates(), list(range(20000, 20006)), "192.0.2.10")
    offer = with_candidates(offer, [9] * 2, "192.0.2.10", transport="tcp")
    response = await post_offer(client, offer)
    try:
        assert response.status_code == 201
        assert seen[0].count("a=candidate:") == 6 and " tcp " not in seen[0]
    finally:
        await hang_up_all(client)
    too_many = with_candidates(offer, [9], "192.0.2.10", transport="tcp")
    refused = await post_offer(client, too_many)
    assert refused.status_code == 400 and refused.json()["code"] == "INVALID_SDP"


async def test_eight_public_candidates_are_fine(client):
    offer = with_candidates(await offer_without_candidates(), list(range(20000, 20008)), "192.0.2.10")
    response = await post_offer(client, offer)
    try:
        assert response.status_code == 201
    finally:
        await hang_up_all(client)


MALFORMED = {
    "bad m-line": b"v=0\r\nm=audio x\r\nzzz\r\n",
    "m-line without formats": b"v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF\r\n",
    "not a line": b"v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\nhello\r\n",
    "port out of range": b"v=0\r\nm=audio 99999 UDP/TLS/RTP/SAVPF 111\r\n",
    "bad candidate": b"v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=candidate:x\r\n",
    "latin-1": "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\ns=caf\xe9\r\n".encode("latin-1"),
}


@pytest.mark.parametrize("body", MALFORMED.values(), ids=MALFORMED.keys())
async def test_malformed_offers_are_invalid_sdp(client, body):
    response = await post_offer(client, body)
    assert response.status_code == 400 and response.json()["code"] == "INVALID_SDP"


@pytest.mark.parametrize("mid", ["0\x00", "\x00", "0 1", "a" * 40])
async def test_a_bad_mid_is_invalid_sdp(client, mid):
    offer = (await offer_without_candidates()).replace("a=mid:0", f"a=mid:{mid}", 1)
    response = await post_offer(client, offer.encode())
    assert response.status_code == 400 and response.json()["code"] == "INVALID_SDP"


def without(sdp: str, prefix: str) -> str:
    return "".join(line + "\r\n" for line in sdp.splitlines() if not line.startswith(prefix))


STRUCTURAL = {  # each crashed aiortc with an AttributeError (a 500) after its parser accepted the offer
    "mid outside the BUNDLE group": lambda sdp: sdp.replace("a=mid:0", "a=mid:x", 1),
    "no a=setup": lambda sdp: without(sdp, "a=setup:"),
    "no fingerprint": lambda sdp: without(sdp, "a=fingerprint:"),
    "duplicate mid": lambda sdp: sdp.replace("a=mid:1", "a=mid:0", 1),
    "no ice-ufrag": lambda sdp: without(sdp, "a=ice-ufrag:"),
    "BUNDLE names an unknown mid": lambda sdp: sdp.replace("a=group:BUNDLE 0 1", "a=group:BUNDLE 0 1 7", 1),
}


@pytest.mark.parametrize("mutate", STRUCTURAL.values(), ids=STRUCTURAL.keys())
async def test_offers_aiortc_cannot_use_are_invalid_sdp(client, mutate):
    offer = mutate(with_candidates(await offer_without_candidates(), [20000], "192.0.2.10"))
    response = await post_offer(client, offer)
    try:
        assert response.status_code == 400 and response.json()["code"] == "INVALID_SDP"
    finally:
        await hang_up_all(client)
