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
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

WEB_MODES = ("ask", "on", "off")
WEB_MEANINGS = {  # each mode in the words the app shows when it is chosen
    "ask": "a fetch from a host you have not allowed asks you first",
    "on": "fetches from public hosts go ahead without asking",
    "off": "the model is offered no web tool at all",
}
WEB_TOOLS = ("WebFetch", "WebSearch")


# What a host may look like in an address the rules judge. The CLI fetches with a WHATWG URL
# parser, which reads some addresses differently from urlsplit: it ends the authority at a
# backslash ("http://evil.example\\@docs.python.org/" reaches evil.example), decodes percent
# escapes and maps full-width characters ("http://%31%32%37.0.0.1/" reaches 127.0.0.1). So only
# an authority both read alike is judged: ASCII letters, digits, ".", "-", "_" (or a bracketed
# IPv6 literal) and a port; userinfo, escapes, backslashes and other characters are denied.
_AUTHORITY = re.compile(r"(?:[A-Za-z0-9._-]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]*)?")
_NAME = re.compile(r"[a-z0-9_-]+(?:\.[a-z0-9_-]+)*\.?")
_NUMBER = re.compile(r"[0-9]+|0x[0-9a-f]*")  # a last label that makes the host an IPv4 address
_DIGITS = {10: re.compile(r"[0-9]+"), 8: re.compile(r"[0-7]+"), 16: re.compile(r"[0-9a-f]+")}


def host_of(url: str) -> str | None:
    """The lower-cased host of an http(s) URL, or None for anything else (including an
    address the fetching CLI could read as another host)."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    if _AUTHORITY.fullmatch(parts.netloc) is None:
        return None
    host = host.lower()
    if parts.netloc.startswith("["):
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            return None
        return host
    if _NAME.fullmatch(host) is None:
        return None
    host = host.removesuffix(".")
    if _ends_in_number(host) and _ipv4(host) is None:  # the CLI would refuse it too
        return None
    return host


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
    """The address an IP literal names, read as the CLI's URL parser reads it: the lenient
    IPv4 forms too (127.1, 0x7f000001, 2130706433, "0x" for 0.0.0.0)."""
    if ":" in host:
        try:
            return ipaddress.IPv6Address(host.strip("[]"))
        except ValueError:
            return None
    return _ipv4(host) if _ends_in_number(host) else None


def _ends_in_number(host: str) -> bool:
    """WHATWG's "ends in a number": such a host is parsed as an IPv4 address or refused."""
    labels = host.lower().split(".")
    if labels[-1] == "" and len(labels) > 1:
        labels.pop()
    return _NUMBER.fullmatch(labels[-1]) is not None


def _ipv4(host: str) -> ipaddress.IPv4Address | None:
    """WHATWG's IPv4 parser: up to four parts, each decimal, octal (0...) or hex (0x...)."""
    parts = host.lower().split(".")
    if parts[-1] == "" and len(parts) > 1:
        parts.pop()
    if len(parts) > 4:
        return None
    numbers = [_ipv4_number(part) for part in parts]
    if any(n is None for n in numbers):
        return None
    values = [n for n in numbers if n is not None]
    if any(n > 255 for n in values[:-1]) or values[-1] >= 256 ** (5 - len(values)):
        return None
    value = values[-1] + sum(n * 256 ** (3 - i) for i, n in enumerate(values[:-1]))
    return ipaddress.IPv4Address(value)


def _ipv4_number(part: str) -> int | None:
    if not part:
        return None
    radix = 10
    if part.startswith("0x"):
        part, radix = part[2:], 16
    elif len(part) > 1 and part.startswith("0"):
        part, radix = part[1:], 8
    if not part:
        return 0
    return int(part, radix) if _DIGITS[radix].fullmatch(part) else None


def parse_hosts(text: str) -> tuple[str, ...]:
    """``--allow-web a.com,b.org`` as exact, lower-cased host names."""
    return tuple(h.strip().lower().rstrip(".") for h in text.split(",") if h.strip())


@dataclass(frozen=True)
class Verdict:
    """A rule's answer for one web call: allow (``text`` says who), deny (``text`` is the
    reason for the model) or ask the user (``text`` is the host)."""

    action: str  # "allow" | "deny" | "ask"
    text: str

    def denial(self, tool_input: dict[str, object]) -> str | None:
        """None to allow, else the reason for the model; "ask" with nobody to ask denies."""
        if self.action == "allow":
            return None
        if self.action == "ask":
            return not_allowed(self.text, str(tool_input.get("url") or ""))
        return self.text


@dataclass(frozen=True)
class WebPolicy:
    """The web mode and the hosts the user allowed."""

    mode: str = "ask"
    allowed: frozenset[str] = field(default_factory=frozenset)

    def decide(self, tool: str, tool_input: dict[str, object]) -> str | None:
        """None to allow, else the reason for the denial: what happens when nobody is asked."""
        return self.judge(tool, tool_input).denial(tool_input)

    def judge(self, tool: str, tool_input: dict[str, object]) -> Verdict:
        """The rules alone; "ask" is for a host nobody allowed yet, in ``ask`` mode."""
        if self.mode == "off":
            return Verdict("deny", f"{tool} is turned off: the user set web access to off.")
        if tool == "WebSearch":  # the query goes to the model provider only
            return Verdict("allow", "allowed: a search goes to the model provider only")
        url = str(tool_input.get("url") or "")
        host = host_of(url)
        if host is None:
            return Verdict(
                "deny",
                f"Denied: {url!r} is not an http or https address with a plain host (ASCII "
                "letters, digits, dots and dashes, an international name in its xn-- form; no "
                "user name, backslash or % escape before the path).",
            )
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
