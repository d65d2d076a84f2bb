"""Web access is the user's decision: which WebFetch calls may leave the machine.

``web = "off"`` offers no web tool at all; ``"on"`` allows fetches to public hosts; ``"ask"``
(the default) allows only hosts the user named (``--allow-web``). A fetch to an IP literal of
loopback, private, link-local or reserved ranges, or to a localhost name, is denied in every
mode: no reaching into the user's network or a cloud metadata service. Hosts match exactly
(``docs.python.org.attacker.net`` is another host) and names are never resolved to decide (DNS
can lie, and the tests run offline).
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass, field
from urllib.parse import urlsplit

WEB_MODES = ("ask", "on", "off")
WEB_TOOLS = ("WebFetch", "WebSearch")


def host_of(url: str) -> str | None:
    """The lower-cased host of an http(s) URL, or None for anything else."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    return host.lower().rstrip(".")


def local_host(host: str) -> bool:
    """Whether a host names this machine or a private network, as a literal or a name."""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    address = _ip_literal(host)
    if address is None:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return bool(
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_reserved
        or address.is_unspecified
        or address.is_multicast
    )


def _ip_literal(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        pass
    try:  # the lenient forms a fetch library may accept: 127.1, 0x7f000001, 2130706433
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


def parse_hosts(text: str) -> tuple[str, ...]:
    """``--allow-web a.com,b.org`` as exact, lower-cased host names."""
    return tuple(h.strip().lower().rstrip(".") for h in text.split(",") if h.strip())


@dataclass(frozen=True)
class Verdict:
    """A rule's answer for one web call: allow (``text`` says who), deny (``text`` is the
    reason for the model) or ask the user (``text`` is the host)."""

    action: str  # "allow" | "deny" | "ask"
    text: str


@dataclass(frozen=True)
class WebPolicy:
    """The web mode and the hosts the user allowed."""

    mode: str = "ask"
    allowed: frozenset[str] = field(default_factory=frozenset)

    def decide(self, tool: str, tool_input: dict[str, object]) -> str | None:
        """None to allow, else the reason for the denial: what happens when nobody is asked."""
        verdict = self.judge(tool, tool_input)
        if verdict.action == "allow":
            return None
        if verdict.action == "deny":
            return verdict.text
        return not_allowed(verdict.text, str(tool_input.get("url") or ""))

    def judge(self, tool: str, tool_input: dict[str, object]) -> Verdict:
        """The rules alone; "ask" is for a host nobody allowed yet, in ``ask`` mode."""
        if self.mode == "off":
            return Verdict("deny", f"{tool} is turned off: the user set web access to off.")
        if tool == "WebSearch":  # the query goes to the model provider only
            return Verdict("allow", "allowed: a search goes to the model provider only")
        url = str(tool_input.get("url") or "")
        host = host_of(url)
        if host is None:
            return Verdict("deny", f"Denied: {url!r} is not an http or https address with a host.")
        if local_host(host):
            return Verdict(
                "deny",
                f"Denied: {host} is this machine or a private network; web access reaches "
                "public hosts only.",
            )
        if self.mode == "on":
            return Verdict("allow", 'allowed: web = "on"')
        if host in self.allowed:
            return Verdict("allow", "allowed: --allow-web")
        return Verdict("ask", host)


def not_allowed(host: str, url: str) -> str:
    """The denial when nobody could be asked (headless), with the way to allow the host."""
    return (  # the host and the way out first: a short display still shows them
        f"Denied: the user has not allowed WebFetch to reach {host} (allow it with "
        f'--allow-web {host}, or web = "on"); the address was {url}.'
    )
