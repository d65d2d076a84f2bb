"""The web policy's decisions (pure); tests/reliability/test_web_access.py proves the CLI obeys."""

from __future__ import annotations

import pytest

from tui.agent.web import WebPolicy, host_of, local_host, parse_hosts


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "127.1",
        "2130706433",
        "0x7f000001",
        "::1",
        "[::1]",
        "::ffff:127.0.0.1",
        "10.1.2.3",
        "172.16.0.9",
        "192.168.1.1",
        "169.254.169.254",
        "0.0.0.0",
        "fe80::1",
        "localhost",
        "api.localhost",
        "0x",
        "0x7f.0x",
        "0177.0.0.1",
        "127.0.0.1.",
    ],
)
def test_local_and_private_hosts(host: str) -> None:
    assert local_host(host)


@pytest.mark.parametrize("host", ["docs.python.org", "8.8.8.8", "2001:4860:4860::8888"])
def test_public_hosts(host: str) -> None:
    assert not local_host(host)


def test_hosts_match_exactly_and_modes_decide() -> None:
    policy = WebPolicy("ask", frozenset(parse_hosts("Docs.Python.org, example.com")))
    allow = {"url": "https://docs.python.org/3/library/"}
    assert policy.decide("WebFetch", allow) is None
    for url in (
        "https://docs.python.org.attacker.net/",
        "https://evil.docs.python.org/",
        "https://attacker.net/?u=https://docs.python.org/",
    ):
        reason = policy.decide("WebFetch", {"url": url})
        assert reason is not None and "has not allowed WebFetch" in reason, url
    assert WebPolicy("on").decide("WebFetch", {"url": "https://a.example/"}) is None
    assert "private network" in str(WebPolicy("on").decide("WebFetch", {"url": "http://127.1/"}))
    assert "turned off" in str(WebPolicy("off").decide("WebSearch", {"query": "x"}))
    assert WebPolicy("ask").decide("WebSearch", {"query": "x"}) is None
    assert "not an http" in str(WebPolicy("on").decide("WebFetch", {"url": "file:///etc/passwd"}))
    assert host_of("HTTPS://Example.COM./x") == "example.com"


@pytest.mark.parametrize(
    "url",
    [
        "https://collect.evil.example\\@docs.python.org/",  # the CLI: collect.evil.example
        "https://user@docs.python.org/",
        "https://docs.python.org%2eevil.example/",  # the CLI: docs.python.org.evil.example
        "http://%31%32%37.0.0.1/",  # the CLI: 127.0.0.1
        "http://\uff11\uff12\uff17.0.0.1/",
        "http://127\u30020\u30020\u30021/",
        "https://\uff44ocs.python.org/",  # the CLI: docs.python.org
        "https://docs.python.org\u202e/",
        "https://docs..python.org/",
        "http://1.2.3.4.5/",
        "http://[::1%25lo]/",
    ],
)
def test_an_address_the_fetcher_could_read_as_another_host_has_none(url: str) -> None:
    assert host_of(url) is None
    reason = WebPolicy("on", frozenset({"docs.python.org"})).decide("WebFetch", {"url": url})
    assert reason is not None and "plain host" in reason


def test_plain_addresses_keep_their_host() -> None:
    assert host_of("https://docs.python.org:443/3/?q=a@b\\c") == "docs.python.org"
    assert host_of("http://[2001:4860::8888]:80/") == "2001:4860::8888"
    assert host_of("https://xn--mnchen-3ya.de/") == "xn--mnchen-3ya.de"
