/** The slice of `app.inject()` the fixtures use, so they also drive a real API process over HTTP. */
export interface Injector {
  inject(options: {
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
    url: string;
    headers?: Record<string, string>;
    payload?: object;
  }): Promise<InjectedResponse>;
}

export interface InjectedResponse {
  statusCode: number;
  body: string;
  headers: Record<string, string | string[] | number | undefined>;
  // `any` by default, as light-my-request's own json(): the specs narrow it where they read it.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json<T = any>(): T;
}

/** An Injector that sends real HTTP requests to a running process on `port`. */
export function httpInjector(port: number): Injector {
  return {
    async inject({ method, url, headers = {}, payload }) {
      const response = await fetch(`http://127.0.0.1:${port}${url}`, {
        method,
        headers: payload === undefined ? headers : { 'content-type': 'application/json', ...headers },
        body: payload === undefined ? undefined : JSON.stringify(payload),
      });
      const body = await response.text();
      return {
        statusCode: response.status,
        body,
        headers: Object.fromEntries(response.headers.entries()),
        json: <T>() => JSON.parse(body) as T,
      };
    },
  };
}
