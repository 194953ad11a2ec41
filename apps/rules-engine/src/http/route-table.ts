import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { RegistryAdminController } from '../admin/registry-admin.controller';
import { AlertsController } from '../alerts/alerts.controller';
import { AuthController } from '../auth/auth.controller';
import { ACCESS_KEY, type AccessRule } from '../auth/auth.types';
import { AwayController } from '../away/away.controller';
import { DevicesController } from '../devices/devices.controller';
import { OpsController } from '../ops/ops.controller';
import { RuleSettingsController } from '../rule-settings/rule-settings.controller';
import { SitesController } from '../sites/sites.controller';
import { ElevatorsController } from '../subjects/elevators.controller';
import { ResidentsController } from '../subjects/residents.controller';
import { WebhooksController } from '../webhooks/webhooks.controller';
import { AuditController } from '../audit/audit.controller';
import { MaintenanceController } from '../audit/maintenance.controller';
import { CallsController } from '../calls/calls.controller';
import { CheckInConfigController } from '../calls/check-in-config.controller';
import { ResidentCheckCallsController } from '../calls/check-calls.controller';
import { ReportsController } from '../reports/reports.controller';
import { ElevatorHistoryController, ResidentHistoryController } from '../history/history.controller';

/** Every controller of the engine: the module registers exactly these, the route table reads them. */
export const ENGINE_CONTROLLERS = [
  OpsController,
  AuthController,
  AlertsController,
  ResidentsController,
  ResidentHistoryController,
  ResidentCheckCallsController,
  AwayController,
  ElevatorsController,
  ElevatorHistoryController,
  DevicesController,
  SitesController,
  RuleSettingsController,
  RegistryAdminController,
  WebhooksController,
  CheckInConfigController,
  CallsController,
  ReportsController,
  AuditController,
  MaintenanceController,
] as const;

export interface RouteInfo {
  method: string;
  /** Express-style: `/api/alerts/:id/ack`. */
  path: string;
  access: AccessRule | undefined;
  handler: string;
}

/** Routes served outside the controllers (OpenAPI, WebSocket), all public or token-in-query. */
export const EXTRA_ROUTES: readonly { method: string; path: string; note: string }[] = [
  { method: 'GET', path: '/api/openapi.json', note: 'OpenAPI document (public)' },
  { method: 'GET', path: '/api/openapi.yaml', note: 'OpenAPI document as YAML (public)' },
  { method: 'GET', path: '/api/docs', note: 'Swagger UI (public)' },
  { method: 'GET', path: '/ws', note: 'WebSocket upgrade; token in the query (close 4401 when bad)' },
];

const join = (...parts: string[]) => `/${parts.flatMap((p) => p.split('/')).filter(Boolean).join('/')}`;

/**
 * The routes as Nest will register them, from the controllers' decorator metadata: the attack-matrix
 * test walks this list and fails when a route has no row, so a new route cannot go untested.
 */
export function engineRoutes(): RouteInfo[] {
  const out: RouteInfo[] = [];
  for (const ctrl of ENGINE_CONTROLLERS) {
    const base: unknown = Reflect.getMetadata(PATH_METADATA, ctrl);
    for (const name of Object.getOwnPropertyNames(ctrl.prototype)) {
      if (name === 'constructor') continue;
      const fn: unknown = Reflect.get(ctrl.prototype, name);
      if (typeof fn !== 'function') continue;
      const path: unknown = Reflect.getMetadata(PATH_METADATA, fn);
      const method: unknown = Reflect.getMetadata(METHOD_METADATA, fn);
      if (typeof path !== 'string' || typeof method !== 'number') continue;
      const access: unknown = Reflect.getMetadata(ACCESS_KEY, fn);
      out.push({
        method: RequestMethod[method] ?? String(method),
        path: join(typeof base === 'string' ? base : '', path),
        access: isAccessRule(access) ? access : undefined,
        handler: `${ctrl.name}.${name}`,
      });
    }
  }
  return out;
}

function isAccessRule(v: unknown): v is AccessRule {
  return typeof v === 'object' && v !== null && ('public' in v || 'roles' in v);
}
