/** A query the store cannot answer as asked (bad range, unknown zone, zone finer than the stored slots). */
export class TelemetryQueryError extends Error {
  override readonly name = 'TelemetryQueryError';
}

/** The store cannot be opened with the settings given (names the setting). */
export class TelemetryConfigError extends Error {
  override readonly name = 'TelemetryConfigError';
}

/** The InfluxDB server refused or failed a query (HTTP status, or the error InfluxQL answered). */
export class InfluxQueryError extends Error {
  override readonly name = 'InfluxQueryError';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}
