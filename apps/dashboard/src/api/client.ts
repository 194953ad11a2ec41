import type { z } from 'zod';
import { errorBodySchema } from './schemas';

/** An API answer other than 2xx, with the engine's stable error code (`unauthenticated`, `forbidden`...). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfterS?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The answer was not what this build of the dashboard understands (a newer or broken engine). */
export class UnexpectedResponseError extends Error {
  constructor(path: string, detail: string) {
    super(`unexpected answer from ${path}: ${detail}`);
    this.name = 'UnexpectedResponseError';
  }
}

export interface ApiClientOptions {
  token: () => string | undefined;
  /** A 401 on a signed-in call: the token expired or was revoked, back to the login page. */
  onUnauthorized: () => void;
  baseUrl?: string;
}

type Method = 'GET' | 'POST';

/** Thin fetch wrapper: bearer token, JSON both ways, named errors, every answer parsed by a schema. */
export class ApiClient {
  constructor(private readonly opts: ApiClientOptions) {}

  get<S extends z.ZodType>(path: string, schema: S, signal?: AbortSignal): Promise<z.output<S>> {
    return this.request('GET', path, schema, undefined, signal);
  }

  post<S extends z.ZodType>(path: string, body: unknown, schema: S): Promise<z.output<S>> {
    return this.request('POST', path, schema, body);
  }

  async request<S extends z.ZodType>(method: Method, path: string, schema: S, body?: unknown, signal?: AbortSignal): Promise<z.output<S>> {
    const res = await this.send(method, path, body, signal);
    const data: unknown = res.status === 204 ? null : await res.json().catch(() => undefined);
    const parsed = schema.safeParse(data);
    if (!parsed.success) throw new UnexpectedResponseError(path, parsed.error.issues[0]?.message ?? 'invalid');
    return parsed.data;
  }

  /** For routes whose answer the caller reads itself (204s, probes). */
  async send(method: Method, path: string, body?: unknown, signal?: AbortSignal): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const token = this.opts.token();
    if (token) headers['authorization'] = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${this.opts.baseUrl ?? ''}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      ...(signal ? { signal } : {}),
    });
    if (res.ok) return res;
    const raw: unknown = await res.json().catch(() => undefined);
    const err = errorBodySchema.safeParse(raw);
    const retry = Number(res.headers.get('retry-after'));
    const apiError = new ApiError(res.status, err.success ? err.data.error : `http_${res.status}`, err.success ? err.data.message : res.statusText, Number.isFinite(retry) && retry > 0 ? retry : undefined);
    // Only a signed-in call means the session ended; a failed login is the login form's business.
    if (res.status === 401 && token) this.opts.onUnauthorized();
    throw apiError;
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
