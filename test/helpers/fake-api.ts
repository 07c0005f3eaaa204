import {
  type ConnectRouter,
  createRouterTransport,
  type Interceptor,
  type Transport,
} from "@connectrpc/connect";

/** Call is one request a fake API received: `Service/Method` and the request message. */
export interface Call {
  method: string;
  request: unknown;
}

/** FakeApi is an in-memory API for command tests: its transport, and the calls it received in order. */
export interface FakeApi {
  transport: Transport;
  calls: Call[];
}

/**
 * fakeApi serves fake service implementations in memory (`router.service(Service, {...})`), so a
 * command test needs no socket; a method without an implementation answers Unimplemented, and
 * every request is recorded so the test can compare what was sent and that nothing else was.
 */
export function fakeApi(routes: (router: ConnectRouter) => void): FakeApi {
  const calls: Call[] = [];
  const record: Interceptor = (next) => async (req) => {
    calls.push({
      method: `${req.service.name}/${req.method.name}`,
      request: req.stream ? undefined : req.message,
    });
    return next(req);
  };
  return { calls, transport: createRouterTransport(routes, { router: { interceptors: [record] } }) };
}
