"""Unit tests of device detection and client address resolution."""

import ipaddress

import pytest

from interview_app.domain.device import client_address, device_type_from_user_agent, is_header_safe

IPAD = (
    "Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X)"
    " AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
)
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)"
    " AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
)
ANDROID_PHONE = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36"
)
DESKTOP = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36"
TRUSTED = (ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("10.0.0.0/8"))


@pytest.mark.parametrize(
    ("agent", "kind"),
    [
        (IPAD, "tablet"),
        (IPHONE, "mobile"),
        (ANDROID_PHONE, "mobile"),
        (DESKTOP, "desktop"),
        ("", "desktop"),
        (None, "desktop"),
        ("curl/8.0", "desktop"),
    ],
)
def test_device_type(agent, kind):
    assert device_type_from_user_agent(agent) == kind


def test_forwarded_for_is_ignored_from_an_untrusted_peer():
    assert client_address("203.0.113.9", "198.51.100.1", TRUSTED) == "203.0.113.9"


def test_forwarded_for_is_used_from_a_trusted_peer():
    assert client_address("127.0.0.1", "198.51.100.1", TRUSTED) == "198.51.100.1"


def test_chain_of_trusted_proxies_is_walked_from_the_right():
    assert client_address("127.0.0.1", "6.6.6.6, 198.51.100.1, 10.0.0.5", TRUSTED) == "198.51.100.1"


def test_malformed_forwarded_for_falls_back_to_the_peer():
    assert client_address("127.0.0.1", "not-an-ip", TRUSTED) == "127.0.0.1"


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        (None, True),
        ("", True),
        ("Mozilla/5.0 (X11; Linux x86_64)", True),
        ("eyJhbGciOi.x-y_z", True),
        ("a\nb", False),
        ("a\x00", False),
        ("caf\u00e9", False),
        ("tab\there", False),
        ("\x7f", False),
    ],
)
def test_header_values_are_printable_ascii(value, safe):
    assert is_header_safe(value) is safe
