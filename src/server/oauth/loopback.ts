/**
 * isLoopbackRedirect accepts exactly `http://127.0.0.1:<port>/callback` and
 * `http://[::1]:<port>/callback` (RFC 8252 loopback redirects): an explicit port, no user info,
 * query or fragment, and no alternative spelling of the same address.
 */
export function isLoopbackRedirect(raw: string): boolean {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return false;
  }
  return (
    u.href === raw &&
    u.protocol === "http:" &&
    (u.hostname === "127.0.0.1" || u.hostname === "[::1]") &&
    u.port !== "" &&
    u.username === "" &&
    u.password === "" &&
    u.pathname === "/callback" &&
    u.search === "" &&
    u.hash === ""
  );
}
