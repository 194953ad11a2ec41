import { z } from 'zod';
import { InfluxQueryError } from '../telemetry.errors';

const cell = z.union([z.number(), z.string(), z.boolean(), z.null()]);
const seriesSchema = z.object({
  name: z.string().optional(),
  tags: z.record(z.string(), z.string()).optional(),
  columns: z.array(z.string()),
  values: z.array(z.array(cell)).optional(),
});
const responseSchema = z.object({
  results: z.array(z.object({ statement_id: z.number().optional(), series: z.array(seriesSchema).optional(), error: z.string().optional() })).optional(),
  error: z.string().optional(),
});

export type InfluxCell = z.infer<typeof cell>;
export type InfluxSeries = z.infer<typeof seriesSchema>;

export interface InfluxQlTarget {
  url: string;
  /** InfluxDB 2.x/3.x token (sent as `Authorization: Token ...`); empty for an open 1.x. */
  token: string;
  /** 1.x database; on 2.x the database name of the bucket's DBRP mapping. */
  database: string;
  retentionPolicy?: string;
}

/**
 * InfluxQL over HTTP `GET /query`, the read API that InfluxDB 1.x, 2.x (v1 compatibility, with a DBRP
 * mapping) and 3.x all serve; Flux would tie the platform to 2.x, which is in maintenance. Several
 * statements go in one request; the answer is one list of series per statement, times in epoch ms.
 */
export class InfluxQlClient {
  constructor(
    private readonly target: InfluxQlTarget,
    private readonly timeoutMs: number,
  ) {}

  async query(statements: readonly string[]): Promise<InfluxSeries[][]> {
    const params = new URLSearchParams({ db: this.target.database, q: statements.join(';\n'), epoch: 'ms' });
    if (this.target.retentionPolicy) params.set('rp', this.target.retentionPolicy);
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (this.target.token) headers.Authorization = `Token ${this.target.token}`;
    let res: Response;
    try {
      res = await fetch(`${this.target.url.replace(/\/+$/, '')}/query?${params.toString()}`, { headers, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (err) {
      throw new InfluxQueryError(`InfluxDB query failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    const text = await res.text();
    let json: z.infer<typeof responseSchema>;
    try {
      json = responseSchema.parse(JSON.parse(text));
    } catch {
      throw new InfluxQueryError(`InfluxDB answered ${res.status} with an unexpected body: ${text.slice(0, 200)}`, res.status);
    }
    const error = json.error ?? json.results?.find((r) => r.error)?.error;
    if (!res.ok || error) throw new InfluxQueryError(`InfluxDB answered ${res.status}: ${error ?? 'error'}`, res.status);
    const results = json.results ?? [];
    return statements.map((_, i) => results[i]?.series ?? []);
  }
}

/** An InfluxQL string literal. */
export function lit(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** Rows of one series as objects keyed by column. */
export function rowsOf(series: InfluxSeries): Array<Record<string, InfluxCell>> {
  return (series.values ?? []).map((v) => Object.fromEntries(series.columns.map((c, i) => [c, v[i] ?? null])));
}

export function num(v: InfluxCell | undefined): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  throw new InfluxQueryError(`expected a number from InfluxDB, got ${JSON.stringify(v)}`);
}
