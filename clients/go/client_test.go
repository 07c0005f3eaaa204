package client

import (
	"crypto/tls"
	"strings"
	"testing"
)

func TestParseURLUsesTLSUnlessTheURLSaysHTTP(t *testing.T) {
	cases := []struct {
		url, address string
		plaintext    bool
	}{
		{"https://metal.example.com", "metal.example.com:443", false},
		{"metal.example.com:8443", "metal.example.com:8443", false},
		{"https://[2001:db8::1]:8443/", "[2001:db8::1]:8443", false},
		{"http://127.0.0.1:8080", "127.0.0.1:8080", true},
		{"http://[::1]:8080", "[::1]:8080", true},
		{"http://localhost", "localhost:80", true},
	}
	for _, c := range cases {
		address, plaintext, err := ParseURL(c.url)
		if err != nil || address != c.address || plaintext != c.plaintext {
			t.Errorf("ParseURL(%q) = %q, %v, %v; want %q, %v", c.url, address, plaintext, err, c.address, c.plaintext)
		}
	}
}

func TestParseURLRefusesWhatItCannotDialSafely(t *testing.T) {
	cases := map[string]string{
		"":                                "no API URL: set Options.URL or METALCTL_API_URL",
		"http://metal.example.com":        "unencrypted to metal.example.com: use https://",
		"http://10.0.0.1:8080":            "unencrypted to 10.0.0.1",
		"http://127.0.0.1.example.com":    "unencrypted",
		"ftp://metal.example.com":         "must start with https:// or http://",
		"https://metal.example.com/api":   "must not have a path",
		"https://metal.example.com?x=1":   "must not have a path",
		"https://:8080":                   "needs a host",
		"https://metal.example.com:99999": "needs a host and an optional port",
	}
	for url, want := range cases {
		if _, _, err := ParseURL(url); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseURL(%q) error = %v; want it to contain %q", url, err, want)
		}
	}
}

func TestParseURLNeverEchoesUserInfo(t *testing.T) {
	for _, url := range []string{"https://ci:s3cret@metal.example.com", "https://ci:s3cret@metal.example.com:x"} {
		_, _, err := ParseURL(url)
		if err == nil || strings.Contains(err.Error(), "s3cret") {
			t.Errorf("ParseURL(%q) error = %v; want an error without the password", url, err)
		}
	}
}

func TestDialReadsTheEnvironment(t *testing.T) {
	t.Setenv(URLEnv, "http://127.0.0.1:9")
	t.Setenv(TokenEnv, "t")
	conn, err := Dial(Options{})
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	conn.Close()
	t.Setenv(URLEnv, "")
	if _, err := Dial(Options{}); err == nil || !strings.Contains(err.Error(), URLEnv) {
		t.Errorf("Dial without URL: error = %v; want it to name %s", err, URLEnv)
	}
}

func TestCustomTLSNeedsHTTPS(t *testing.T) {
	if _, err := Dial(Options{URL: "http://127.0.0.1:9", TLS: &tls.Config{}}); err == nil {
		t.Error("Dial with TLS settings and an http:// URL succeeded; want an error")
	}
}
