import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/**
 * `Expect: 100-continue` answered as RFC 9110 §10.1.1 intends: `100 Continue` goes
 * out only when the application starts reading the body. Node's default sends it as
 * soon as the headers arrive, so a request refused from its headers alone (an upload
 * whose Content-Length is over the limit, a missing token) still made the client
 * send its whole body first. A final answer sent before the body was asked for also
 * closes the connection: the client may or may not send the body it announced.
 */
export function installExpectContinue(server: Server): void {
  server.on('checkContinue', (request: IncomingMessage, response: ServerResponse) => {
    let bodyRequested = false;
    const read = request._read.bind(request);
    request._read = (size: number) => {
      if (!bodyRequested) {
        bodyRequested = true;
        // Node reads (and discards) an unread body after the final answer: no 100 then.
        if (!response.headersSent) {
          response.writeContinue();
        }
      }
      read(size);
    };
    const writeHead = response.writeHead.bind(response) as (...args: unknown[]) => ServerResponse;
    response.writeHead = (...args: unknown[]) => {
      if (!bodyRequested) {
        response.shouldKeepAlive = false;
      }
      return writeHead(...args);
    };
    server.emit('request', request, response);
  });
}
