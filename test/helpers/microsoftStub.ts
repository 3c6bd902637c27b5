// Preloaded (node --import) into a Sésame process under test, and nothing else: calls to Microsoft's
// login endpoints — the Bot Framework's OpenID metadata and keys, Entra ID's token endpoint — go to a
// stand-in on loopback (MICROSOFT_STUB_PORT) instead of the internet. Every other request, and all of
// Sésame's own code, is untouched.
import http from 'node:http';
import https from 'node:https';

const STUBBED = new Set(['login.microsoftonline.com', 'login.botframework.com']);
const port = Number(process.env.MICROSOFT_STUB_PORT);
if (!port) throw new Error('microsoftStub: MICROSOFT_STUB_PORT is not set');

type Callback = (res: http.IncomingMessage) => void;
const original = https.request.bind(https);

function redirected(args: unknown[]): { options: http.RequestOptions; callback?: Callback } | undefined {
  let [first, second, third] = args as [string | URL | http.RequestOptions, http.RequestOptions | Callback | undefined, Callback | undefined];
  let options: http.RequestOptions;
  let callback: Callback | undefined;
  if (typeof first === 'string' || first instanceof URL) {
    const url = new URL(first);
    options = { hostname: url.hostname, path: `${url.pathname}${url.search}`, ...(typeof second === 'object' ? second : {}) };
    callback = typeof second === 'function' ? second : third;
  } else {
    options = first;
    callback = typeof second === 'function' ? second : undefined;
  }
  const host = options.hostname ?? options.host?.split(':')[0];
  if (!host || !STUBBED.has(host)) return undefined;
  return { options: { ...options, protocol: 'http:', hostname: '127.0.0.1', host: undefined, port, agent: undefined, headers: { ...options.headers, 'x-stubbed-host': host } }, callback };
}

const request = (...args: unknown[]) => {
  const stub = redirected(args);
  if (!stub) return (original as (...a: unknown[]) => http.ClientRequest)(...args);
  return stub.callback ? http.request(stub.options, stub.callback) : http.request(stub.options);
};
https.request = request as typeof https.request;
https.get = ((...args: unknown[]) => {
  const req = request(...args);
  req.end();
  return req;
}) as typeof https.get;
