import net from 'node:net';

/**
 * A TCP proxy in front of a real server (PostgreSQL, Redis...) that a test can
 * pause, cut and restore, to make a dependency slow or unreachable for one app
 * without touching the shared server itself.
 */
export class TcpProxy {
  private server?: net.Server;
  private readonly pairs = new Set<[net.Socket, net.Socket]>();
  private down = false;
  private paused = false;
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  static forUrl(url: string): TcpProxy {
    const parsed = new URL(url);
    return new TcpProxy(parsed.hostname, Number(parsed.port || 5432));
  }

  /** `url` with its host and port replaced by this proxy's. */
  rewrite(url: string): string {
    const parsed = new URL(url);
    parsed.hostname = '127.0.0.1';
    parsed.port = String(this.port);
    return parsed.toString();
  }

  async start(): Promise<this> {
    this.server = net.createServer((client) => this.accept(client));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
    return this;
  }

  /** Connections currently open through the proxy. */
  get connectionCount(): number {
    return this.pairs.size;
  }

  /** Holds every byte coming back from the server until resume(). */
  pause(): void {
    this.paused = true;
    for (const [, upstream] of this.pairs) {
      upstream.pause();
    }
  }

  resume(): void {
    this.paused = false;
    for (const [, upstream] of this.pairs) {
      upstream.resume();
    }
  }

  /** Drops every connection and refuses new ones, as if the server were gone. */
  cut(): void {
    this.down = true;
    for (const [client, upstream] of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
    this.pairs.clear();
  }

  restore(): void {
    this.down = false;
  }

  async stop(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private accept(client: net.Socket): void {
    if (this.down) {
      client.destroy();
      return;
    }
    const upstream = net.connect(this.targetPort, this.targetHost);
    const pair: [net.Socket, net.Socket] = [client, upstream];
    this.pairs.add(pair);
    client.pipe(upstream);
    upstream.pipe(client);
    // After pipe(), which resumes its source: a connection opened while paused holds too.
    if (this.paused) {
      upstream.pause();
    }
    const close = (): void => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
  }
}
