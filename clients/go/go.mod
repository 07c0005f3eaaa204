// The metal API for Go: messages and gRPC clients generated from proto/ (`npm run generate`, not
// committed) under metalctl/client/metalstack/..., and the connection helper in package client.
// The versions are the oldest the generated code is tested with (Debian 12's Go packages).
module metalctl/client

go 1.19

require (
	google.golang.org/grpc v1.33.3
	google.golang.org/protobuf v1.28.1
)
