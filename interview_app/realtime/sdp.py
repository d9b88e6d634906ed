"""Checking a candidate's SDP offer before any WebRTC stack sees it.

aiortc trusts its input: it answers garbage with an empty SDP, fails with ``AssertionError`` or
``AttributeError`` on a malformed m-line or a NUL byte in ``a=mid``, and sends STUN checks to every
remote candidate it is given. So an offer is parsed here first, strictly: printable ASCII lines
of the form ``x=value``, ``v=0`` first, well-formed m-lines with at least one audio line, token
``a=mid`` values, what aiortc takes for granted once parsed (a unique mid per m-section, BUNDLE
groups naming those mids, fingerprint, setup and ICE credentials), and well-formed ``a=candidate``
lines of which at most :data:`MAX_CANDIDATES` are UDP. TCP candidates are dropped without counting:
the server's ICE agent (aioice) gathers UDP only and never pairs them, and a browser lists one per
interface beside the UDP ones. Unless allowed, UDP candidates on loopback, link-local, multicast or
unspecified addresses are dropped too, so the server cannot be pointed at its own ports or its
neighbours'.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

from aiortc.sdp import SessionDescription

MAX_CANDIDATES = 8

_LINE = re.compile(r"[a-z]=[\x20-\x7e]*")
_MEDIA = re.compile(r"m=(audio|video|application|text|message) (\d{1,5})(?:/\d{1,5})? [A-Za-z0-9/_.-]+(?: \S+)+")
_MID = re.compile(r"a=mid:[A-Za-z0-9_.~+-]{1,32}")
_CANDIDATE = re.compile(
    r"a=candidate:[A-Za-z0-9+/]{1,32} \d{1,3} (?P<transport>udp|tcp|UDP|TCP) \d{1,10} "
    r"(?P<address>[A-Za-z0-9.:%_-]{1,253}) (?P<port>\d{1,5}) typ (?:host|srflx|prflx|relay)(?: [\x21-\x7e]+)*"
)


class InvalidOffer(ValueError):
    """The body is not an SDP offer this server will answer; the message says why."""


@dataclass(frozen=True)
class CheckedOffer:
    sdp: str
    dropped_candidates: int


def _refused_address(address: str) -> bool:
    """True for an address the server must not send to: its own or its link's.

    A host name (a browser's mDNS ``.local`` name) is kept: it resolves to the candidate's LAN.
    """
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_unspecified


def _parse_candidate(line: str) -> tuple[bool, str]:
    """(is UDP, address) of a well-formed candidate line."""
    match = _CANDIDATE.fullmatch(line)
    if match is None or int(match["port"]) > 65535:
        raise InvalidOffer(f"malformed candidate line: {line[:80]!r}")
    return match["transport"].lower() == "udp", match["address"]


def check_offer(raw: bytes, allow_loopback: bool) -> CheckedOffer:
    """The offer, normalised to CRLF lines, without refused candidates; raises :class:`InvalidOffer`."""
    try:
        text = raw.decode("ascii")
    except UnicodeDecodeError as exc:
        raise InvalidOffer("the offer must be ASCII text") from exc
    lines = text.replace("\r\n", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines or lines[0] != "v=0":
        raise InvalidOffer("the offer must start with v=0")
    kept: list[str] = []
    candidates = dropped = 0
    has_audio = False
    for line in lines:
        if not _LINE.fullmatch(line):
            raise InvalidOffer(f"not an SDP line: {line[:80]!r}")
        if line.startswith("m="):
            media = _MEDIA.fullmatch(line)
            if media is None or int(media[2]) > 65535:
                raise InvalidOffer(f"malformed m-line: {line[:80]!r}")
            has_audio = has_audio or media[1] == "audio"
        elif line.startswith("a=mid:") and not _MID.fullmatch(line):
            raise InvalidOffer(f"malformed a=mid: {line[:80]!r}")
        elif line.startswith("a=candidate:"):
            udp, address = _parse_candidate(line)
            candidates += udp
            if candidates > MAX_CANDIDATES:
                raise InvalidOffer(f"more than {MAX_CANDIDATES} UDP candidates")
            if not udp or (_refused_address(address) and not allow_loopback):
                dropped += 1
                continue
        kept.append(line)
    if not has_audio:
        raise InvalidOffer("the offer needs an audio m-line")
    sdp = "\r\n".join(kept) + "\r\n"
    _parses_in_aiortc(sdp)
    return CheckedOffer(sdp, dropped)


def _parses_in_aiortc(sdp: str) -> None:
    """The WebRTC stack's own parser must accept the offer, and what aiortc later takes for granted
    must hold: it asserts, or fails on a missing attribute, rather than raising a clear error."""
    try:
        description = SessionDescription.parse(sdp)
    except (AssertionError, ValueError, IndexError, KeyError) as exc:
        raise InvalidOffer(f"the offer could not be parsed: {type(exc).__name__}") from exc
    mids = [media.rtp.muxId for media in description.media]
    if not all(mids) or len(set(mids)) != len(mids):
        raise InvalidOffer("every m-section needs its own a=mid")
    for media in description.media:
        if media.dtls is None or not media.dtls.fingerprints or media.dtls.role not in ("auto", "client", "server"):
            raise InvalidOffer(f"m-section {media.rtp.muxId}: a=fingerprint and a=setup are required")
        if media.ice is None or not media.ice.usernameFragment or not media.ice.password:
            raise InvalidOffer(f"m-section {media.rtp.muxId}: a=ice-ufrag and a=ice-pwd are required")
    bundled = [mid for group in description.group if group.semantic == "BUNDLE" for mid in group.items]
    if not set(bundled) <= set(mids) or len(set(bundled)) != len(bundled):
        raise InvalidOffer("a=group:BUNDLE must name each m-section's mid at most once")
