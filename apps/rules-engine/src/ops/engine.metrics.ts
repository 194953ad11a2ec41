import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { CoreEvent } from '@hearthbeat/rules-core';
import type { TelemetryStats } from '@hearthbeat/telemetry';
import type { RetentionTable } from '../retention/event-retention';

/** Prometheus metrics of the engine, in their own registry (several components share one process). */
export class EngineMetrics {
  readonly registry = new Registry();
  private readonly messages = new Counter({ name: 'hb_engine_messages_total', help: 'Device messages accepted by the engine, by channel', labelNames: ['channel'], registers: [this.registry] });
  private readonly rejections = new Counter({ name: 'hb_engine_rejections_total', help: 'Messages the engine refused, by reason', labelNames: ['reason'], registers: [this.registry] });
  private readonly failures = new Counter({ name: 'hb_engine_evaluation_failures_total', help: 'Messages whose evaluation threw (a bug: see the logs)', registers: [this.registry] });
  private readonly alertChanges = new Counter({ name: 'hb_engine_alert_changes_total', help: 'Alert changes, by rule and change', labelNames: ['rule', 'change'], registers: [this.registry] });
  private readonly escalations = new Counter({ name: 'hb_engine_escalations_total', help: 'Escalations of unacknowledged alerts, by rule', labelNames: ['rule'], registers: [this.registry] });
  readonly alertsByState = new Gauge({ name: 'hb_engine_alerts', help: 'Alerts held in memory, by rule and state', labelNames: ['rule', 'state'], registers: [this.registry] });
  private readonly storeLatency = new Histogram({
    name: 'hb_engine_store_write_seconds',
    help: 'Time to persist one engine step',
    buckets: [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5],
    registers: [this.registry],
  });
  readonly mqttConnected = new Gauge({ name: 'hb_engine_mqtt_connected', help: '1 while the engine is connected to the broker', registers: [this.registry] });
  private readonly httpRequests = new Counter({
    name: 'hb_engine_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'],
    registers: [this.registry],
  });
  private readonly httpLatency = new Histogram({
    name: 'hb_engine_http_request_seconds',
    help: 'Time to answer an HTTP request, by route pattern',
    labelNames: ['route'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly wsClients = new Gauge({ name: 'hb_engine_ws_clients', help: 'Live WebSocket clients signed in', registers: [this.registry] });
  private readonly wsFrames = new Counter({ name: 'hb_engine_ws_messages_total', help: 'Messages pushed to WebSocket clients, by type', labelNames: ['type'], registers: [this.registry] });
  private readonly webhookAttempts = new Counter({
    name: 'hb_engine_webhook_deliveries_total',
    help: 'Webhook delivery attempts, by result (delivered; failed: will retry; rejected: the receiver refused the payload, set aside)',
    labelNames: ['result'],
    registers: [this.registry],
  });
  readonly webhookPending = new Gauge({ name: 'hb_engine_webhook_pending', help: 'Webhook deliveries waiting (not yet accepted by the receiver)', registers: [this.registry] });
  private readonly eventsPrunedTotal = new Counter({ name: 'hb_engine_events_pruned_total', help: 'Stored core events deleted by the retention (HB_EVENTS_RETAIN_DAYS)', registers: [this.registry] });
  private readonly deliveriesPrunedTotal = new Counter({
    name: 'hb_engine_webhook_deliveries_pruned_total',
    help: 'Finished webhook deliveries (delivered, rejected) deleted by the retention (HB_EVENTS_RETAIN_DAYS)',
    registers: [this.registry],
  });
  private readonly callRequestsPrunedTotal = new Counter({
    name: 'hb_engine_call_requests_pruned_total',
    help: 'Finished check-in call requests (sent, expired, cancelled) deleted by the retention (HB_EVENTS_RETAIN_DAYS)',
    registers: [this.registry],
  });
  private readonly eventsHeldBack = new Gauge({
    name: 'hb_engine_events_prune_held_back',
    help: '1 for each consumer (calls, webhook:<id>) whose cursor kept events older than the retention at the last pass',
    labelNames: ['consumer'],
    registers: [this.registry],
  });
  private readonly loginFailures = new Counter({ name: 'hb_engine_login_failures_total', help: 'Refused logins and password checks, by reason', labelNames: ['reason'], registers: [this.registry] });

  /** The telemetry store's counters, read at each scrape (libs/telemetry TelemetryStats). */
  watchTelemetry(stats: () => TelemetryStats): void {
    const counter = (name: string, help: string, pick: (s: TelemetryStats) => number) =>
      new Counter({
        name,
        help,
        registers: [this.registry],
        collect() {
          this.reset();
          this.inc(pick(stats()));
        },
      });
    counter('hb_telemetry_points_written_total', 'Telemetry points stored (embedded: committed; influx: acknowledged)', (s) => s.written);
    counter('hb_telemetry_points_dropped_total', 'Telemetry points dropped because the buffer bound was hit', (s) => s.dropped);
    counter('hb_telemetry_points_rejected_total', 'Telemetry points the server refused as malformed', (s) => s.rejected);
    counter('hb_telemetry_points_too_old_total', 'Telemetry points older than raw retention, not stored', (s) => s.tooOld);
    counter('hb_telemetry_write_retries_total', 'Telemetry writes that failed and were retried', (s) => s.retries);
    new Gauge({
      name: 'hb_telemetry_points_buffered',
      help: 'Telemetry points waiting in memory for the next write',
      registers: [this.registry],
      collect() {
        this.set(stats().buffered);
      },
    });
  }

  constructor(opts: { defaultMetrics?: boolean } = {}) {
    if (opts.defaultMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'hb_engine_' });
  }

  accepted(channel: string): void {
    this.messages.inc({ channel });
  }

  rejected(reason: string): void {
    this.rejections.inc({ reason });
  }

  failed(): void {
    this.failures.inc();
  }

  storeWrite(ms: number): void {
    this.storeLatency.observe(ms / 1000);
  }

  httpRequest(method: string, route: string, status: number, seconds: number): void {
    this.httpRequests.inc({ method, route, status: String(status) });
    this.httpLatency.observe({ route }, seconds);
  }

  wsPushed(type: string): void {
    this.wsFrames.inc({ type });
  }

  webhookAttempt(result: 'delivered' | 'failed' | 'rejected'): void {
    this.webhookAttempts.inc({ result });
  }

  /** Rows the retention deleted from one of its tables (hb_engine_<table>_pruned_total). */
  pruned(table: RetentionTable, count: number): void {
    const counter = { events: this.eventsPrunedTotal, webhook_deliveries: this.deliveriesPrunedTotal, call_requests: this.callRequestsPrunedTotal }[table];
    counter.inc(count);
  }

  /** The consumers that held pruning back at the last pass (none: the series go away). */
  pruneHeldBackBy(consumers: readonly string[]): void {
    this.eventsHeldBack.reset();
    for (const consumer of consumers) this.eventsHeldBack.set({ consumer }, 1);
  }

  loginFailed(reason: 'bad_credentials' | 'bad_current_password' | 'throttled'): void {
    this.loginFailures.inc({ reason });
  }

  observe(e: CoreEvent): void {
    if (e.type !== 'alert') return;
    this.alertChanges.inc({ rule: e.alert.rule, change: e.change });
    if (e.change === 'escalated') this.escalations.inc({ rule: e.alert.rule });
  }
}
