"""Where a remote repository may be fetched from: public addresses only, unless an allow-list names the host.

A user who registers `https://10.0.0.5/…` or `git://localhost:6379/x` would make the server connect
inside its own network (server-side request forgery). Every address a host name resolves to is
checked, not only the first; IP literals in any spelling `inet_aton` accepts (decimal `2130706433`,
octal `0177.0.0.1`, hex `0x7f.1`) and IPv4-mapped IPv6 addresses are checked as the address they are.
The resolver is a parameter, so the rule is a pure function that tests drive without a network.
"""
import ipaddress
import re
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from metrics.core.errors import UnsafeSource

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str], Sequence[str]]

_SCP_HOST = re.compile(r"^[^@/:]+@(?P<host>\[[^\]]+\]|[^:/]+):")
_NUMERIC_V4 = re.compile(r"^(?:0[xX][0-9a-fA-F]+|[0-9]+)(?:\.(?:0[xX][0-9a-fA-F]+|[0-9]+)){0,3}$")


@dataclass(frozen=True)
class RemotePolicy:
    """Hosts (names, exact and case-insensitive) and networks a remote may use although they are not public."""

    allow_hosts: frozenset[str] = frozenset()
    allow_networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = ()

    @classmethod
    def from_entries(cls, entries: Sequence[str]) -> "RemotePolicy":
        """Build a policy from `DEBTBOARD_REMOTE_ALLOW_HOSTS` entries: host names, addresses or CIDRs."""
        hosts, networks = set(), []
        for entry in (item.strip() for item in entries):
            if not entry:
                continue
            try:
                networks.append(ipaddress.ip_network(entry.strip("[]"), strict=False))
            except ValueError:
                hosts.add(entry.lower().rstrip("."))
        return cls(allow_hosts=frozenset(hosts), allow_networks=tuple(networks))

    def allows(self, address: IPAddress) -> bool:
        return any(address.version == network.version and address in network for network in self.allow_networks)


def system_resolver(host: str) -> list[str]:
    """Every address `host` resolves to (A and AAAA); an unresolvable name resolves to none."""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, OSError):
        return []
    return sorted({str(info[4][0]).split("%", 1)[0] for info in infos})


def remote_host(url: str) -> str:
    """The host name or address of an https/ssh/git URL or an scp-like `user@host:path`."""
    scp = _SCP_HOST.match(url)
    if scp and "://" not in url:
        return scp["host"].strip("[]")
    return (urlsplit(url).hostname or "").strip("[]")


def literal_address(host: str) -> IPAddress | None:
    """The address a host written as an IP literal stands for (any inet_aton spelling), else None."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        if not _NUMERIC_V4.match(host):
            return None
        try:
            address = ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return address


def is_public(address: IPAddress) -> bool:
    """Whether `address` is a global unicast address (IPv4-mapped IPv6 judged as its IPv4 address)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    refused = (address.is_multicast, address.is_reserved, address.is_unspecified, address.is_loopback,
               address.is_link_local, address.is_private)
    return address.is_global and not any(refused)


def check_remote_address(url: str, *, policy: RemotePolicy = RemotePolicy(),
                         resolver: Resolver = system_resolver) -> None:
    """Raise UnsafeSource unless every address the URL's host resolves to is public or allowed."""
    host = remote_host(url).lower().rstrip(".")
    if not host:
        raise UnsafeSource("The URL has no host name.")
    if host in policy.allow_hosts:
        return
    literal = literal_address(host)
    addresses = [literal] if literal is not None else [_parsed(text) for text in resolver(host)]
    if not addresses:
        raise UnsafeSource(f"{host} does not resolve to any address.")
    for address in addresses:
        if address is None or not (is_public(address) or policy.allows(address)):
            raise UnsafeSource(
                f"{host} is not a public address; remotes inside the server's own network are refused "
                "unless DEBTBOARD_REMOTE_ALLOW_HOSTS names them."
            )


def _parsed(text: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None
