"""The offer check on a real Chromium offer (captured from the browser tests' Chromium on this machine)."""

from __future__ import annotations

from interview_app.realtime.sdp import check_offer

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


def test_chromium_offer_keeps_its_udp_candidates_when_loopback_is_allowed():
    checked = check_offer(CHROMIUM_OFFER.encode(), allow_loopback=True)
    assert len(candidates(checked.sdp)) == 8 and all(" udp " in c for c in candidates(checked.sdp))
    assert checked.dropped_candidates == 2


def test_chromium_offer_in_production_keeps_only_routable_candidates():
    checked = check_offer(CHROMIUM_OFFER.encode(), allow_loopback=False)
    kept = candidates(checked.sdp)
    assert len(kept) == 4 and not any(" 127.0.0.1 " in c or " ::1 " in c for c in kept)
    assert checked.sdp.endswith("\r\n") and "a=mid:0" in checked.sdp and "m=application" in checked.sdp


def test_lf_only_offers_are_normalised_to_crlf():
    checked = check_offer(CHROMIUM_OFFER.replace("\r\n", "\n").encode(), allow_loopback=True)
    assert "\r\n" in checked.sdp and "\n\n" not in checked.sdp
