import { Inject, Injectable } from '@nestjs/common';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { Gauge } from 'prom-client';
import type { RegistryStore } from '@hearthbeat/registry';
import type { AuthUser } from '../auth/auth.types';
import { ScopePolicy } from '../auth/scope.policy';
import type { Clock } from '../driver/clock';
import { EngineRuntime } from '../engine.runtime';
import { CLOCK, REGISTRY } from '../engine.tokens';
import { NotFoundError } from '../http/api.errors';
import type { MaintenanceAuditEntry } from './audit-chain';
import type { AuditHead } from './audit-log';
import type { MaintenanceInput } from './dto/maintenance.dto';

const EXPORT_PAGE = 1000;

/**
 * The audit log's edges: the export, the head an outside party anchors (also in /metrics, so a
 * monitoring system records it every scrape), and maintainers' check-ins at elevators.
 */
@Injectable()
export class AuditService {
  constructor(
    private readonly runtime: EngineRuntime,
    private readonly scope: ScopePolicy,
    @Inject(REGISTRY) private readonly registry: RegistryStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    const registers = [runtime.metrics.registry];
    const head = (): AuditHead | undefined => (runtime.ready.store ? runtime.audit.head() : undefined);
    new Gauge({
      name: 'hb_audit_entries',
      help: 'Entries in the tamper-evident audit log (alert timelines and maintenance check-ins)',
      registers,
      collect() {
        this.set(head()?.seq ?? 0);
      },
    });
    new Gauge({
      name: 'hb_audit_head_info',
      help: 'The audit log head: sha256 chain hash of the latest entry and its seq (anchor it to detect a rewritten log)',
      labelNames: ['hash', 'seq'],
      registers,
      collect() {
        this.reset();
        const h = head();
        if (h) this.set({ hash: h.hash, seq: String(h.seq) }, 1);
      },
    });
  }

  head(): AuditHead & { entries: number; algorithm: string } {
    const h = this.runtime.audit.head();
    return { ...h, entries: h.seq, algorithm: 'sha256 over canonical JSON (RFC 8785) of {seq, prevHash, entry}' };
  }

  /** Writes the log up to its head at the start of the export, as JSON Lines, minding backpressure. */
  async exportTo(out: Writable): Promise<AuditHead> {
    const head = this.runtime.audit.head();
    for (let after = 0; after < head.seq; ) {
      const page = this.runtime.audit.linesAfter(after, Math.min(EXPORT_PAGE, head.seq - after));
      if (page.length === 0) break;
      if (!out.write(page.map((l) => `${l.text}\n`).join(''))) await once(out, 'drain');
      after = page[page.length - 1]?.seq ?? head.seq;
    }
    return head;
  }

  recordMaintenance(user: AuthUser, elevatorId: string, input: MaintenanceInput) {
    const site = this.elevatorSite(user, elevatorId);
    const entry: MaintenanceAuditEntry = { kind: 'maintenance', elevatorId, site, at: this.clock.now(), by: user.id, action: input.action, ...(input.note ? { note: input.note } : {}) };
    return this.runtime.audit.appendMaintenance(entry);
  }

  maintenanceOf(user: AuthUser, elevatorId: string, limit: number) {
    this.elevatorSite(user, elevatorId);
    return this.runtime.audit.maintenanceOf(elevatorId, limit);
  }

  private elevatorSite(user: AuthUser, elevatorId: string): string {
    const e = this.registry.getElevator(elevatorId);
    if (!e) throw new NotFoundError('elevator', elevatorId);
    this.scope.assertSubject(user, 'elevator', e.site);
    return e.site;
  }
}
