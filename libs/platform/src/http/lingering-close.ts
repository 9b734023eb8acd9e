import type { FastifyInstance } from 'fastify';
import type { Socket } from 'node:net';

const LINGERING = Symbol('lingering-close');
/** `_httpMessage` is the response Node is writing on the socket; Node's own idle check reads it too. */
type ServerSocket = Socket & { [LINGERING]?: boolean; _httpMessage?: { finished: boolean } | null };

/**
 * A lingering close, as nginx's `lingering_close`, for the keep-alive sockets a
 * draining server closes itself.
 *
 * Node destroys such a socket as soon as the last response is flushed, and
 * `server.close()` destroys idle ones at once. A busy client has often written its
 * next request by then; the kernel answers those unread bytes on a closed socket
 * with a TCP reset, and the client reports ECONNRESET for a request it cannot know
 * whether to retry (a PM2 reload under load lost a few requests this way). Node has
 * no option for it, so here:
 * - a socket closed after a response (`Connection: close`, which Fastify sets on
 *   every response while closing) only half-closes: FIN after the response, then it
 *   is destroyed when the client closes its side, or after `lingerMs`;
 * - on close, a socket idle between two requests is given `idleGraceMs` to bring
 *   its next request (served normally, with `Connection: close`) before it is
 *   half-closed the same way;
 * - a request that still arrives on a half-closed socket can never be answered, so
 *   it is dropped before any handler runs (no effect); the client sees an orderly
 *   close and re-sends on a new connection, which a sibling process serves.
 */
export function installLingeringClose(
  fastify: FastifyInstance,
  options: { lingerMs?: number; idleGraceMs?: number } = {},
): void {
  const lingerMs = options.lingerMs ?? 2_000;
  const idleGraceMs = options.idleGraceMs ?? 500;
  const sockets = new Set<ServerSocket>();

  const halfClose = (socket: ServerSocket): void => {
    if (socket[LINGERING] || socket.destroyed) {
      return;
    }
    socket[LINGERING] = true;
    socket.end();
    const timer = setTimeout(() => socket.destroy(), lingerMs);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
  };
  const isIdle = (socket: ServerSocket): boolean => !socket._httpMessage || socket._httpMessage.finished;

  const server = fastify.server;
  server.on('connection', (socket: ServerSocket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.destroySoon = () => halfClose(socket);
  });
  // server.close() calls this (and Fastify's forceCloseConnections: 'idle' relies on it).
  server.closeIdleConnections = () => {
    const timer = setTimeout(() => {
      for (const socket of sockets) {
        if (isIdle(socket)) {
          halfClose(socket);
        }
      }
    }, idleGraceMs);
    timer.unref();
  };

  fastify.addHook('onRequest', (request, reply, done) => {
    if ((request.raw.socket as ServerSocket)[LINGERING]) {
      reply.hijack();
    }
    done();
  });
}
