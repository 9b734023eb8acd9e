import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { uuidv7 } from 'uuidv7';
import { buildProblem, PROBLEM_CONTENT_TYPE } from './problem-details';
import { REST_SECURITY_HEADERS } from './security-headers';

/** Node's HTTP parser errors and their answers, as Node's own default clientError handler maps them. */
function problemFor(code: string): { status: number; code: string; detail: string } {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return { status: 431, code: 'HEADERS_TOO_LARGE', detail: 'The request headers are too large.' };
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return { status: 413, code: 'PAYLOAD_TOO_LARGE', detail: 'The request chunk extensions are too large.' };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, code: 'REQUEST_TIMEOUT', detail: 'The request was not received in time.' };
    default:
      return { status: 400, code: 'MALFORMED_REQUEST', detail: 'The request is not well-formed HTTP/1.1.' };
  }
}

const FIXED_HEADERS = Object.entries({
  ...REST_SECURITY_HEADERS,
  'content-type': PROBLEM_CONTENT_TYPE,
  connection: 'close',
})
  .map(([name, value]) => `${name}: ${value}\r\n`)
  .join('');

/**
 * Fastify's clientErrorHandler: errors Node's HTTP server raises on the raw socket
 * before there is a request (an oversized head, broken framing, a head or body that
 * never arrives) are answered as the API's own problem+json, with a request id and
 * the security headers, instead of Fastify's `{"error": ...}`. As in Node's default
 * handler, nothing is written on a socket that is gone or already carries a response,
 * and the socket is then destroyed (the parser cannot resume after an error).
 */
export function clientErrorHandler(
  error: NodeJS.ErrnoException,
  socket: Socket & { _httpMessage?: { headersSent?: boolean } | null },
): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) {
    return;
  }
  if (socket.writable && !socket._httpMessage?.headersSent) {
    const { status, code, detail } = problemFor(error.code ?? '');
    const requestId = uuidv7();
    const body = JSON.stringify(buildProblem({ status, code, detail, requestId }));
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${FIXED_HEADERS}x-request-id: ${requestId}\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
