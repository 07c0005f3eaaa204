"""A gRPC channel to the metal API for the generated stubs in ``metalstack.*``.

The URL comes from an argument or ``METALCTL_API_URL``, the bearer token from an argument or
``METALCTL_API_TOKEN``. TLS is on unless the URL says ``http://`` to a server on this host.
"""

import ipaddress
import os
import urllib.parse

import grpc

from ._version import __version__

__all__ = ["ConfigurationError", "__version__", "connect", "parse_url"]

URL_ENV = "METALCTL_API_URL"
TOKEN_ENV = "METALCTL_API_TOKEN"


class ConfigurationError(ValueError):
    """The API URL or TLS settings cannot be used; the message says what to change."""


def connect(url=None, token=None, *, root_certificates=None):
    """Return a ``grpc.Channel`` to the metal API that sends the bearer token with every call.

    ``url``: ``https://host[:port]`` (also what a URL without scheme means) or ``http://host[:port]``
    for a server on a loopback address; default ``$METALCTL_API_URL``.
    ``token``: an API token, e.g. from ``metalctl token create``; default ``$METALCTL_API_TOKEN``;
    without one, calls are anonymous.
    ``root_certificates``: PEM bytes of the CAs to trust instead of the system's.
    """
    address, plaintext = parse_url(url or os.environ.get(URL_ENV, ""))
    if plaintext:
        if root_certificates is not None:
            raise ConfigurationError("root_certificates needs an https:// API URL")
        # Plaintext HTTP/2 that grpc itself only allows to loopback addresses, and still sends the token.
        credentials = grpc.local_channel_credentials(grpc.LocalConnectionType.LOCAL_TCP)
    else:
        credentials = grpc.ssl_channel_credentials(root_certificates=root_certificates)
    token = (token or os.environ.get(TOKEN_ENV, "")).strip()
    if token:
        credentials = grpc.composite_channel_credentials(
            credentials, grpc.access_token_call_credentials(token)
        )
    options = [("grpc.primary_user_agent", f"metalctl-client-python/{__version__}")]
    return grpc.secure_channel(address, credentials, options)


def parse_url(url):
    """Return ``(address, plaintext)`` for an API URL: the ``host:port`` to dial, and whether TLS is off."""
    if not url:
        raise ConfigurationError(
            f"no API URL: pass url= or set {URL_ENV}, e.g. https://metal.example.com"
        )
    parsed = urllib.parse.urlsplit(url if "://" in url else f"https://{url}")
    if parsed.username is not None or parsed.password is not None:
        # Not echoed: the user info may hold a password.
        raise ConfigurationError(
            f"the API URL must not contain a user name or password; pass the token as token= or {TOKEN_ENV}"
        )
    if parsed.scheme not in ("https", "http"):
        raise ConfigurationError(f'API URL "{url}" must start with https:// or http://')
    if parsed.path not in ("", "/") or parsed.query or parsed.fragment:
        raise ConfigurationError(
            f'API URL "{url}" must not have a path: gRPC calls go to the root of the server'
        )
    host = parsed.hostname
    try:
        port = parsed.port
    except ValueError:
        port = -1
    if not host or port == -1:
        raise ConfigurationError(f'API URL "{url}" needs a host and an optional port 1-65535')
    plaintext = parsed.scheme == "http"
    if plaintext and not _is_loopback(host):
        raise ConfigurationError(
            f'API URL "{url}" would send the token unencrypted to {host}: use https://, '
            "or http:// only for a server on this host (127.0.0.1, ::1, localhost)"
        )
    port = port or (80 if plaintext else 443)
    return (f"[{host}]:{port}" if ":" in host else f"{host}:{port}"), plaintext


def _is_loopback(host):
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
