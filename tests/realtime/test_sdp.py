"""The offer check on a real Chromium offer (captured from the browser tests' Chromium on this machine)."""

from __future__ import annotations

import ipaddress
from dataclasses import replace

import pytest

from interview_app.realtime.sdp import CandidatePolicy, InvalidOffer, check_offer

FINGERPRINT = "a=fingerprint:sha-256 " + ":".join(
    [
        "3D",
        "59",
        "65",
        "AC",
        "9B",
        "0F",
        "45",
        "E0",
        "5B",
        "F6",
        "8F",
        "8E",
        "5B",
        "0D",
        "A0",
        "79",
        "CF",
        "B3",
        "1B",
        "66",
        "35",
        "95",
        "36",
        "90",
        "39",
        "C5",
        "98",
        "64",
        "08",
        "38",
        "E1",
        "54",
    ]
)
CHROMIUM_OFFER = "\r\n".join(
    [
        "v=0",
        "o=- 4007601637401002905 2 IN IP4 127.0.0.1",
        "s=-",
        "t=0 0",
        "a=group:BUNDLE 0 1",
        "a=extmap-allow-mixed",
        "a=msid-semantic: WMS 135e9a52-a665-442d-87b2-074bc9cf4598",
        "m=audio 32994 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126",
        "c=IN IP4 127.0.0.1",
        "a=rtcp:9 IN IP4 0.0.0.0",
        "a=candidate:2051106029 1 udp 2122194687 127.0.0.1 32994 typ host generation 0 network-id 3 network-cost 50",
        "a=candidate:2665584249 1 udp 2122063615 192.0.2.2 60813 typ host generation 0 network-id 1",
        "a=candidate:1802335845 1 udp 2122267903 ::1 56701 typ host generation 0 network-id 4 network-cost 50",
        "a=candidate:1434933145 1 udp 2122134271 fd00::2 37321 typ host generation 0 network-id 2",
        "a=candidate:2230038649 1 tcp 1518214911 127.0.0.1 9 typ host tcptype active generation 0 network-id 3",
        "a=candidate:1615545069 1 tcp 1518083839 192.0.2.2 9 typ host tcptype active generation 0 network-id 1",
        "a=ice-ufrag:OmKP",
        "a=ice-pwd:+L5wZGzEuXQp6J72FVfokcOw",
        "a=ice-options:trickle",
        FINGERPRINT,
        "a=setup:actpass",
        "a=mid:0",
        "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level",
        "a=sendrecv",
        "a=msid:135e9a52-a665-442d-87b2-074bc9cf4598 83f16612-7871-44d8-bf8a-15f451693500",
        "a=rtcp-mux",
        "a=rtpmap:111 opus/48000/2",
        "a=rtcp-fb:111 transport-cc",
        "a=fmtp:111 minptime=10;useinbandfec=1",
        "a=ssrc:560373722 cname:VSUEoFH+wp9/E5go",
        "m=application 57241 UDP/DTLS/SCTP webrtc-datachannel",
        "c=IN IP4 127.0.0.1",
        "a=candidate:2051106029 1 udp 2122194687 127.0.0.1 57241 typ host generation 0 network-id 3 network-cost 50",
        "a=candidate:2665584249 1 udp 2122063615 192.0.2.2 47389 typ host generation 0 network-id 1",
        "a=candidate:1802335845 1 udp 2122267903 ::1 45872 typ host generation 0 network-id 4 network-cost 50",
        "a=candidate:1434933145 1 udp 2122134271 fd00::2 53268 typ host generation 0 network-id 2",
        "a=ice-ufrag:OmKP",
        "a=ice-pwd:+L5wZGzEuXQp6J72FVfokcOw",
        FINGERPRINT,
        "a=setup:actpass",
        "a=mid:1",
        "a=sctp-port:5000",
        "a=max-message-size:262144",
        "",
    ]
)


def candidates(sdp: str) -> list[str]:
    return [line for line in sdp.splitlines() if line.startswith("a=candidate:")]


DEV = CandidatePolicy(allow_loopback=True, allow_private=True)
THIS_HOST = frozenset({ipaddress.ip_address("192.0.2.2"), ipaddress.ip_address("fd00::2")})


def test_chromium_offer_keeps_the_bundle_transports_udp_candidates_when_loopback_is_allowed():
    """The BUNDLE group's first m-section carries the transport: 4 UDP + 2 TCP candidates counted,
    the TCP ones dropped; the data channel's section lists the same interfaces again, unused."""
    checked = check_offer(CHROMIUM_OFFER.encode(), DEV)
    kept = candidates(checked.sdp)
    assert len(kept) == 4 and all(" udp " in c for c in kept)
    assert checked.dropped_candidates == 2 + 4


def test_chromium_offer_in_production_keeps_only_public_addresses_of_other_hosts():
    prod = CandidatePolicy(allow_loopback=False, allow_private=False)
    kept = candidates(check_offer(CHROMIUM_OFFER.encode(), prod).sdp)
    assert len(kept) == 1 and " 192.0.2.2 " in kept[0]  # loopback and fd00::/7 are gone
    on_this_host = replace(prod, own_addresses=THIS_HOST)
    checked = check_offer(CHROMIUM_OFFER.encode(), on_this_host)
    assert candidates(checked.sdp) == []  # the host's own address is refused too
    assert checked.sdp.endswith("\r\n") and "a=mid:0" in checked.sdp and "m=application" in checked.sdp


def test_lf_only_offers_are_normalised_to_crlf():
    checked = check_offer(CHROMIUM_OFFER.replace("\r\n", "\n").encode(), DEV)
    assert "\r\n" in checked.sdp and "\n\n" not in checked.sdp


def with_first_section_candidates(lines: list[str]) -> bytes:
    offer = CHROMIUM_OFFER.splitlines()
    at = offer.index("a=ice-ufrag:OmKP")
    body = [line for line in offer[:at] if not line.startswith("a=candidate:")] + lines + offer[at:]
    return "\r\n".join(body).encode()


def candidate(n: int, address: str, transport: str = "udp") -> str:
    suffix = " tcptype active" if transport == "tcp" else ""
    return f"a=candidate:{n} 1 {transport} 2122194687 {address} {20000 + n} typ host{suffix}"


def test_tcp_candidates_count_towards_the_cap():
    """Regression (issue 15 D11): on the old code TCP candidates were not counted at all."""
    eight = [candidate(n, "198.51.100.7") for n in range(7)] + [candidate(7, "198.51.100.7", "tcp")]
    assert len(candidates(check_offer(with_first_section_candidates(eight), DEV).sdp)) == 7
    nine = [*eight, candidate(8, "198.51.100.7", "tcp")]
    with pytest.raises(InvalidOffer, match="more than 8 candidates"):
        check_offer(with_first_section_candidates(nine), DEV)


@pytest.mark.parametrize(
    "address", ["10.1.2.3", "172.16.0.9", "192.168.1.20", "100.64.0.1", "fc00::1", "fd12:3456::1", "::ffff:10.0.0.1"]
)
def test_private_addresses_are_dropped_in_production_unless_allowed(address):
    """Regression (issue 15 D11): on the old code private addresses were passed to the ICE agent."""
    offer = with_first_section_candidates([candidate(0, address), candidate(1, "198.51.100.7")])
    prod = CandidatePolicy(allow_loopback=False, allow_private=False)
    assert [c.split()[4] for c in candidates(check_offer(offer, prod).sdp)] == ["198.51.100.7"]
    allowed = replace(prod, allow_private=True)
    assert len(candidates(check_offer(offer, allowed).sdp)) == 2


def test_the_hosts_own_public_address_is_dropped_in_production():
    offer = with_first_section_candidates([candidate(0, "203.0.113.5"), candidate(1, "198.51.100.7")])
    own = CandidatePolicy(
        allow_loopback=False, allow_private=False, own_addresses=frozenset({ipaddress.ip_address("203.0.113.5")})
    )
    assert [c.split()[4] for c in candidates(check_offer(offer, own).sdp)] == ["198.51.100.7"]
