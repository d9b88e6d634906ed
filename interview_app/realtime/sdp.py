"""Checking a candidate's SDP offer before any WebRTC stack sees it.

aiortc trusts its input: it answers garbage with an empty SDP, fails with ``AssertionError`` or
``AttributeError`` on a malformed m-line or a NUL byte in ``a=mid``, and sends STUN checks to every
remote candidate it is given. So an offer is parsed here first, strictly: printable ASCII lines
of the form ``x=value``, ``v=0`` first, well-formed m-lines with at least one audio line, token
``a=mid`` values, what aiortc takes for granted once parsed (a unique mid per m-section, BUNDLE
groups naming those mids, fingerprint, setup and ICE credentials), and well-formed ``a=candidate``
lines.

Candidates (issue 15 D11): every candidate, UDP or TCP, of an m-section whose transport the server
uses counts towards :data:`MAX_CANDIDATES` (more: the offer is refused). Those are the first
m-section of a BUNDLE group and any m-section outside it; the candidates of the other bundled
m-sections are dropped uncounted, since the answer bundles them onto the first one's transport
(a browser lists its interfaces again in each). Of the counted ones only UDP candidates are kept
(the server's ICE agent, aioice, never pairs TCP), and only on addresses the policy allows:
loopback, link-local, multicast and unspecified addresses unless ``allow_loopback``; private
networks (RFC 1918, 100.64/10, fc00::/7) and the server's own addresses unless ``allow_private``.
So the server cannot be pointed at its own ports, its neighbours' or its private network.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

from aiortc.sdp import SessionDescription

MAX_CANDIDATES = 8
PRIVATE_NETWORKS = tuple(
    ipaddress.ip_network(net) for net in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7")
)
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

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
class CandidatePolicy:
    """Which remote addresses the server may send connectivity checks to."""

    allow_loopback: bool = True
    allow_private: bool = True
    own_addresses: frozenset[IPAddress] = frozenset()


@dataclass(frozen=True)
class CheckedOffer:
    sdp: str
    dropped_candidates: int


def as_ip(address: str) -> IPAddress | None:
    """The address as an IP (an IPv4-mapped IPv6 address as IPv4); None for a host name."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def _refused_address(address: str, policy: CandidatePolicy) -> bool:
    """True for an address the server must not send to.

    A host name (a browser's mDNS ``.local`` name) is kept: it resolves to the candidate's LAN.
    """
    ip = as_ip(address)
    if ip is None:
        return False
    if ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_unspecified:
        return not policy.allow_loopback
    if policy.allow_private:
        return False
    return ip in policy.own_addresses or any(ip in network for network in PRIVATE_NETWORKS)


def _parse_candidate(line: str) -> tuple[bool, str]:
    """(is UDP, address) of a well-formed candidate line."""
    match = _CANDIDATE.fullmatch(line)
    if match is None or int(match["port"]) > 65535:
        raise InvalidOffer(f"malformed candidate line: {line[:80]!r}")
    return match["transport"].lower() == "udp", match["address"]


def _check_lines(lines: list[str]) -> list[str | None]:
    """Check every line; returns each m-section's mid (None when it has none), in order."""
    mids: list[str | None] = []
    has_audio = False
    for line in lines:
        if not _LINE.fullmatch(line):
            raise InvalidOffer(f"not an SDP line: {line[:80]!r}")
        if line.startswith("m="):
            media = _MEDIA.fullmatch(line)
            if media is None or int(media[2]) > 65535:
                raise InvalidOffer(f"malformed m-line: {line[:80]!r}")
            has_audio = has_audio or media[1] == "audio"
            mids.append(None)
        elif line.startswith("a=mid:"):
            if not _MID.fullmatch(line):
                raise InvalidOffer(f"malformed a=mid: {line[:80]!r}")
            if mids:
                mids[-1] = line.removeprefix("a=mid:")
        elif line.startswith("a=candidate:"):
            _parse_candidate(line)
    if not has_audio:
        raise InvalidOffer("the offer needs an audio m-line")
    return mids


def _bundled_away(lines: list[str]) -> set[str]:
    """Mids whose transport the answer replaces by the first one of their BUNDLE group."""
    away: set[str] = set()
    for line in lines:
        if line.startswith("a=group:BUNDLE "):
            away.update(line.split()[2:])
    return away


def check_offer(raw: bytes, policy: CandidatePolicy) -> CheckedOffer:
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
    mids = _check_lines(lines)
    away = _bundled_away(lines)
    kept: list[str] = []
    section = -1
    counted = dropped = 0
    for line in lines:
        if line.startswith("m="):
            section += 1
        elif line.startswith("a=candidate:"):
            if section >= 0 and mids[section] in away:
                dropped += 1
                continue
            counted += 1
            if counted > MAX_CANDIDATES:
                raise InvalidOffer(f"more than {MAX_CANDIDATES} candidates")
            udp, address = _parse_candidate(line)
            if not udp or _refused_address(address, policy):
                dropped += 1
                continue
        kept.append(line)
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
