"""ICE set-up for the server's peers: configured servers only, and loopback candidates.

aiortc would otherwise use a public STUN server, and aioice never offers 127.0.0.1, so a call
could not connect on a machine whose only interface is loopback (development, CI).
"""

from __future__ import annotations

import aioice.ice
from aiortc import RTCConfiguration, RTCIceServer

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
