"""Personal data kept as little as possible: IP addresses are stored truncated."""

import ipaddress


def truncate_ip(address):
    """``address`` with its last octet (IPv4) or last 80 bits (IPv6) zeroed.

    ``None`` when there is no address or it cannot be parsed. An IPv4 address
    mapped into IPv6 (``::ffff:192.0.2.7``) is truncated as the IPv4 address.
    """
    if not address:
        return None
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return None
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False).network_address)
