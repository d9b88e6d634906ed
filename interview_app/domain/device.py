"""Request facts the session metadata needs: device type from a User-Agent, client address.

UA parsing is delegated to the ``user-agents`` library (ua-parser's regexes) rather than
hand-written patterns. iPads are tablets (an iPad in "desktop site" mode reports itself as a
Mac and cannot be told apart on the server; the page sends ``deviceType`` itself for that).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Sequence

from user_agents import parse as parse_user_agent

USER_AGENT_MAX_CHARS = 512


HEADER_SAFE = re.compile(r"[\x20-\x7e]*")  # what an HTTP header value may hold: printable ASCII


def is_header_safe(value: str | None) -> bool:
    """True when ``value`` can be sent as an HTTP header value (a token, a User-Agent)."""
    return value is None or HEADER_SAFE.fullmatch(value) is not None


def device_type_from_user_agent(user_agent: str | None) -> str:
    """``desktop``, ``mobile`` or ``tablet``; unknown agents count as desktop."""
    if not user_agent:
        return "desktop"
    agent = parse_user_agent(user_agent)
    if agent.is_tablet:
        return "tablet"
    if agent.is_mobile:
        return "mobile"
    return "desktop"


def client_address(peer: str | None, forwarded_for: str | None, trusted: Sequence) -> str | None:
    """The client's address: ``X-Forwarded-For`` is believed only from trusted proxies.

    Walks the header from the right (the hop nearest to us), skipping trusted proxies; the
    first untrusted address is the client. Malformed entries end the walk.
    """
    address = _parse(peer)
    if address is None:
        return peer
    if not forwarded_for or not _is_trusted(address, trusted):
        return str(address)
    for hop in reversed([part.strip() for part in forwarded_for.split(",")]):
        hop_address = _parse(hop)
        if hop_address is None:
            break
        address = hop_address
        if not _is_trusted(hop_address, trusted):
            break
    return str(address)


def is_trusted_peer(peer: str | None, trusted: Sequence) -> bool:
    """Whether ``peer`` (the socket's address) is one of the trusted proxies, whose forwarded headers count."""
    address = _parse(peer)
    return address is not None and _is_trusted(address, trusted)


def _parse(value: str | None):
    try:
        return ipaddress.ip_address((value or "").strip())
    except ValueError:
        return None


def _is_trusted(address, trusted: Sequence) -> bool:
    return any(address in network for network in trusted)
