/**
 * API_MARKER is the field a metal-apiserver adds to its OAuth authorization server metadata, naming the
 * API it serves. metal-stack's own API shares package names but not the wire format, so the CLI reads
 * this before it sends anything to a server it has not talked to.
 */
export const API_MARKER = { field: "metal_api", value: "metalstack.api.v2" } as const;
