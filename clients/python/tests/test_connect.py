"""Tests of metalctl_client's URL, TLS and token handling (no server needed: channels connect lazily)."""

import os
import unittest
from unittest import mock

import grpc

import metalctl_client
from metalctl_client import ConfigurationError, connect, parse_url


class ParseUrlTest(unittest.TestCase):
    def test_tls_unless_the_url_says_http(self):
        self.assertEqual(parse_url("https://metal.example.com"), ("metal.example.com:443", False))
        self.assertEqual(parse_url("metal.example.com:8443"), ("metal.example.com:8443", False))
        self.assertEqual(parse_url("https://[2001:db8::1]:8443/"), ("[2001:db8::1]:8443", False))

    def test_http_to_loopback_is_plaintext(self):
        self.assertEqual(parse_url("http://127.0.0.1:8080"), ("127.0.0.1:8080", True))
        self.assertEqual(parse_url("http://[::1]:8080"), ("[::1]:8080", True))
        self.assertEqual(parse_url("http://localhost"), ("localhost:80", True))

    def test_refuses_http_to_other_hosts(self):
        for url in ("http://metal.example.com", "http://10.0.0.1:8080", "http://127.0.0.1.example.com"):
            with self.assertRaisesRegex(ConfigurationError, "unencrypted.*use https://"):
                parse_url(url)

    def test_refuses_urls_it_cannot_dial(self):
        cases = {
            "": "no API URL: pass url= or set METALCTL_API_URL",
            "ftp://metal.example.com": "must start with https:// or http://",
            "https://metal.example.com/api": "must not have a path",
            "https://metal.example.com?x=1": "must not have a path",
            "https://:8080": "needs a host",
            "https://metal.example.com:99999": "needs a host and an optional port",
        }
        for url, message in cases.items():
            with self.subTest(url=url), self.assertRaisesRegex(ConfigurationError, message):
                parse_url(url)

    def test_never_echoes_user_info(self):
        with self.assertRaises(ConfigurationError) as caught:
            parse_url("https://ci:s3cret@metal.example.com")
        self.assertNotIn("s3cret", str(caught.exception))
        self.assertIn("must not contain a user name or password", str(caught.exception))


class ConnectTest(unittest.TestCase):
    def test_reads_url_from_the_environment(self):
        with mock.patch.dict(os.environ, {"METALCTL_API_URL": "http://127.0.0.1:9"}):
            with connect(token="t") as channel:
                self.assertIsInstance(channel, grpc.Channel)
        with mock.patch.dict(os.environ, {}, clear=True):
            with self.assertRaisesRegex(ConfigurationError, "METALCTL_API_URL"):
                connect()

    def test_custom_cas_need_tls(self):
        with self.assertRaisesRegex(ConfigurationError, "needs an https:// API URL"):
            connect("http://127.0.0.1:9", root_certificates=b"")

    def test_carries_the_package_version(self):
        self.assertRegex(metalctl_client.__version__, r"^\d+\.\d+\.\d+")


if __name__ == "__main__":
    unittest.main()
