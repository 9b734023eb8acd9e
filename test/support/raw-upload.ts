// Raw-socket helpers for the upload-framing tests: requests that lie about their framing,
// and what the server process holds afterwards (descriptors, stored files).
import { readdir, readlink } from 'node:fs/promises';
import net from 'node:net';
import { bearer } from './auth-helpers';

export const MAX_BYTES = 64 * 1024;
/** Longer than any honest answer here takes; a request still unanswered then counts as a hang. */
export const CLIENT_TIMEOUT_MS = 10_000;

export interface RawAnswer {
  /** The status line's code, or 'closed' (socket closed with no answer), or 'timeout' (a hang). */
  status: number | 'closed' | 'timeout';
  head: string;
  body: string;
  /** A `100 Continue` came before the answer. */
  sawContinue: boolean;
  /** The server ended the connection (only awaited with `untilServerCloses`). */
  serverClosed: boolean;
}

export interface ExchangeOptions {
  /** When to send the body: at once (default), only after a `100 Continue`, or never. */
  send?: 'now' | 'after-continue' | 'never';
  /** Resolve only once the server has ended the connection, not at the end of the answer. */
  untilServerCloses?: boolean;
}

/**
 * Writes `head` then `body` on a fresh socket, byte for byte (so a test can lie
 * about framing, or withhold part of a body), and resolves with the server's first
 * final answer. Anything not over within CLIENT_TIMEOUT_MS is a 'timeout'.
 */
export function rawExchange(
  port: number,
  head: string,
  body: Buffer = Buffer.alloc(0),
  options: ExchangeOptions = {},
): Promise<RawAnswer> {
  const send = options.send ?? 'now';
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let received = Buffer.alloc(0);
    let sawContinue = false;
    let serverClosed = false;
    let answer: Omit<RawAnswer, 'sawContinue' | 'serverClosed'> | undefined;
    let settled = false;
    const finish = (result: Omit<RawAnswer, 'sawContinue' | 'serverClosed'>) => {
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        socket.destroy();
        resolve({ ...result, sawContinue, serverClosed });
      }
    };
    const parse = (): void => {
      let text = received.toString('latin1');
      while (text.startsWith('HTTP/1.1 100')) {
        const end = text.indexOf('\r\n\r\n');
        if (end < 0) {
          return;
        }
        if (!sawContinue) {
          sawContinue = true;
          if (send === 'after-continue') {
            socket.write(body);
          }
        }
        text = text.slice(end + 4);
      }
      const end = text.indexOf('\r\n\r\n');
      const length = /\r\ncontent-length: *(\d+)/i.exec(text.slice(0, Math.max(end, 0)));
      if (end >= 0 && length && text.length - end - 4 >= Number(length[1])) {
        answer = {
          status: Number(text.slice(9, 12)),
          head: text.slice(0, end),
          body: text.slice(end + 4, end + 4 + Number(length[1])),
        };
      }
    };
    const timer = setTimeout(() => finish(answer ?? { status: 'timeout', head: '', body: '' }), CLIENT_TIMEOUT_MS);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      parse();
      if (answer && !options.untilServerCloses) {
        finish(answer);
      }
    });
    socket.on('error', () => undefined);
    const closed = () => {
      serverClosed = true;
      finish(answer ?? { status: 'closed', head: received.toString('latin1'), body: '' });
    };
    socket.on('end', closed);
    socket.on('close', closed);
    socket.write(head);
    if (send === 'now') {
      socket.write(body);
    }
  });
}

export function uploadHead(token: string, headers: Record<string, string | number>): string {
  const lines = Object.entries({ host: '127.0.0.1', ...bearer(token), ...headers }).map(
    ([name, value]) => `${name}: ${value}`,
  );
  return `POST /v1/files HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`;
}

export const filePartHead = (boundary: string) =>
  `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`;

/** `body` as one chunk and the last chunk (a zero-size data chunk would end the body early). */
export const chunkedBody = (body: Buffer) =>
  Buffer.concat([
    body.length > 0
      ? Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n')])
      : Buffer.alloc(0),
    Buffer.from('0\r\n\r\n'),
  ]);

/** Descriptors the process holds: all of them, and those on files under `dir`. */
export async function descriptors(pid: number, dir: string): Promise<{ total: number; inDir: string[] }> {
  const fds = await readdir(`/proc/${pid}/fd`);
  const targets = await Promise.all(fds.map((fd) => readlink(`/proc/${pid}/fd/${fd}`).catch(() => '')));
  return { total: fds.length, inDir: targets.filter((target) => target.startsWith(dir)) };
}

export async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => entry.name);
}
