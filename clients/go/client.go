// Package client dials the metal API for the generated gRPC clients in metalctl/client/metalstack/...
//
// The URL comes from Options or METALCTL_API_URL, the bearer token from Options or METALCTL_API_TOKEN.
// TLS is on unless the URL says http:// to a server on this host.
package client

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/local"
)

// URLEnv and TokenEnv name the environment variables Dial reads when Options leaves URL or Token empty.
const (
	URLEnv   = "METALCTL_API_URL"
	TokenEnv = "METALCTL_API_TOKEN"
)

// Options configure Dial; the zero value reads everything from the environment.
type Options struct {
	// URL is https://host[:port] (also what a URL without scheme means) or http://host[:port] for a
	// server on a loopback address; default $METALCTL_API_URL.
	URL string
	// Token is an API token, e.g. from `metalctl token create`; default $METALCTL_API_TOKEN; without
	// one, calls are anonymous.
	Token string
	// TLS replaces the default TLS settings (system CAs), e.g. to trust a private CA.
	TLS *tls.Config
}

// Dial returns a connection to the metal API that sends the bearer token with every call; it
// connects lazily, so a server that is down shows as codes.Unavailable on the first call.
func Dial(opts Options) (*grpc.ClientConn, error) {
	rawURL := opts.URL
	if rawURL == "" {
		rawURL = os.Getenv(URLEnv)
	}
	address, plaintext, err := ParseURL(rawURL)
	if err != nil {
		return nil, err
	}
	dialOpts := []grpc.DialOption{grpc.WithUserAgent("metalctl-client-go/" + Version)}
	if plaintext {
		if opts.TLS != nil {
			return nil, errors.New("Options.TLS needs an https:// API URL")
		}
		// Plaintext HTTP/2 that grpc itself only allows to loopback addresses.
		dialOpts = append(dialOpts, grpc.WithTransportCredentials(local.NewCredentials()))
	} else {
		tlsConfig := opts.TLS
		if tlsConfig == nil {
			tlsConfig = &tls.Config{}
		}
		dialOpts = append(dialOpts, grpc.WithTransportCredentials(credentials.NewTLS(tlsConfig)))
	}
	token := opts.Token
	if token == "" {
		token = os.Getenv(TokenEnv)
	}
	if token = strings.TrimSpace(token); token != "" {
		dialOpts = append(dialOpts, grpc.WithPerRPCCredentials(bearer{token: token, requireTLS: !plaintext}))
	}
	return grpc.Dial(address, dialOpts...)
}

// ParseURL returns the host:port to dial for an API URL, and whether TLS is off.
func ParseURL(rawURL string) (address string, plaintext bool, err error) {
	if rawURL == "" {
		return "", false, fmt.Errorf("no API URL: set Options.URL or %s, e.g. https://metal.example.com", URLEnv)
	}
	withScheme := rawURL
	if !strings.Contains(rawURL, "://") {
		withScheme = "https://" + rawURL
	}
	u, err := url.Parse(withScheme)
	if err != nil {
		// Not echoed: it may hold a password as user info.
		return "", false, errors.New("the API URL cannot be parsed; write it like https://metal.example.com")
	}
	if u.User != nil {
		// Not echoed: the user info may hold a password.
		return "", false, errors.New("the API URL must not contain a user name or password; pass the token in Options.Token or " + TokenEnv)
	}
	if u.Scheme != "https" && u.Scheme != "http" {
		return "", false, fmt.Errorf("API URL %q must start with https:// or http://", rawURL)
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return "", false, fmt.Errorf("API URL %q must not have a path: gRPC calls go to the root of the server", rawURL)
	}
	host, port := u.Hostname(), u.Port()
	if host == "" || !validPort(port) {
		return "", false, fmt.Errorf("API URL %q needs a host and an optional port 1-65535", rawURL)
	}
	plaintext = u.Scheme == "http"
	if plaintext && !isLoopback(host) {
		return "", false, fmt.Errorf("API URL %q would send the token unencrypted to %s: use https://, "+
			"or http:// only for a server on this host (127.0.0.1, ::1, localhost)", rawURL, host)
	}
	if port == "" {
		port = "443"
		if plaintext {
			port = "80"
		}
	}
	return net.JoinHostPort(host, port), plaintext, nil
}

func validPort(port string) bool {
	if port == "" {
		return true
	}
	n, err := strconv.Atoi(port)
	return err == nil && n >= 1 && n <= 65535
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// bearer sends the token as an Authorization header; only over TLS, unless the connection is to loopback.
type bearer struct {
	token      string
	requireTLS bool
}

func (b bearer) GetRequestMetadata(context.Context, ...string) (map[string]string, error) {
	return map[string]string{"authorization": "Bearer " + b.token}, nil
}

func (b bearer) RequireTransportSecurity() bool { return b.requireTLS }
