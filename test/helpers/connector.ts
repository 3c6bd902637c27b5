import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a channel's connector received from the bot. */
export interface Recorded {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  /** The id the connector gave the activity it received. */
  answeredId: string;
  body: { type?: string; text?: string; id?: string; attachments?: { content: { body: { text?: string; facts?: { title: string; value: string }[] }[]; actions?: { title: string; data: Record<string, string> }[] } }[] };
}

/** A stand-in for a channel's connector (Teams, the Emulator), on loopback: it records what the bot sends. */
export async function startConnector(path = '/'): Promise<{ serviceUrl: string; recorded: Recorded[]; close: () => Promise<void> }> {
  const recorded: Recorded[] = [];
  let counter = 0;
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const answeredId = req.method === 'PUT' ? decodeURIComponent((req.url ?? '').split('/').pop() ?? '') : `act-${(counter += 1)}`;
      recorded.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, answeredId, body: raw ? JSON.parse(raw) : {} });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: answeredId }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    serviceUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`,
    recorded,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
