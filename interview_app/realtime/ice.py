"""ICE set-up for the server's peers: configured servers only, loopback candidates, and which
remote candidates an offer may name.

aiortc would otherwise use a public STUN server, and aioice never offers 127.0.0.1, so a call
could not connect on a machine whose only interface is loopback (development, CI).
"""

from __future__ import annotations

import functools

import aioice.ice
from aiortc import RTCConfiguration, RTCIceServer

from interview_app.config import Settings
from interview_app.realtime.sdp import CandidatePolicy, IPAddress, as_ip

_discover = aioice.ice.get_host_addresses
_host_addresses: list[str] | None = None


def _host_addresses_with_loopback(use_ipv4: bool, use_ipv6: bool) -> list[str]:
    if _host_addresses is not None:
        return list(_host_addresses)
    found = _discover(use_ipv4, use_ipv6)
    return [*found, "127.0.0.1"] if use_ipv4 else found


def configure(host_addresses: list[str] | None) -> None:
    """Offer exactly ``host_addresses`` (None: the machine's addresses plus 127.0.0.1)."""
    global _host_addresses
    _host_addresses = host_addresses
    aioice.ice.get_host_addresses = _host_addresses_with_loopback


def rtc_configuration(ice_servers: tuple | list) -> RTCConfiguration:
    """``iceServers`` from settings: empty by default, never a public server we did not choose."""
    return RTCConfiguration(iceServers=[RTCIceServer(**server) for server in ice_servers])


@functools.cache
def _machine_addresses() -> frozenset[IPAddress]:
    return frozenset(ip for ip in map(as_ip, _discover(True, True)) if ip is not None)


def own_addresses() -> frozenset[IPAddress]:
    """This host's addresses (every interface, and those its peers offer)."""
    configured = frozenset(ip for ip in map(as_ip, _host_addresses or []) if ip is not None)
    return _machine_addresses() | configured


def candidate_policy(settings: Settings) -> CandidatePolicy:
    """Remote candidates an offer may name: in production no private network and none of this
    host's addresses unless ``INTERVIEW_ICE_ALLOW_PRIVATE``; loopback per ``INTERVIEW_ICE_ALLOW_LOOPBACK``."""
    allow_private = settings.ice_allow_private or not settings.prod
    return CandidatePolicy(
        allow_loopback=settings.ice_allow_loopback,
        allow_private=allow_private,
        own_addresses=frozenset() if allow_private else own_addresses(),
    )
