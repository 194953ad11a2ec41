import { useCallback, useMemo } from 'react';
import { App } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Outcome } from '@hearthbeat/contracts';
import { useSession } from '../auth/AuthContext';
import { alertDetailSchema, type AlertDetail } from '../api/schemas';
import { errorMessage } from '../api/client';
import { useAlerts } from './AlertsContext';

export interface AlertActions {
  ack(id: string): Promise<AlertDetail | undefined>;
  /** The field workflow: a person reports arriving at the door or the lift (response times count it). */
  onSite(id: string): Promise<AlertDetail | undefined>;
  assign(id: string, assignee: string): Promise<AlertDetail | undefined>;
  comment(id: string, text: string): Promise<AlertDetail | undefined>;
  resolve(id: string, outcome: Outcome, note: string): Promise<AlertDetail | undefined>;
}

/** Staff actions on an alert: the answer is shown at once, the live push then reaches every other screen. */
export function useAlertActions(): AlertActions {
  const { api } = useSession();
  const { applyLocal } = useAlerts();
  const { message } = App.useApp();
  const { t } = useTranslation();

  const run = useCallback(
    async (id: string, action: string, body: Record<string, string>) => {
      try {
        const a = await api.post(`/api/alerts/${encodeURIComponent(id)}/${action}`, body, alertDetailSchema);
        const { timeline, ...summary } = a;
        applyLocal(summary, timeline.at(-1));
        return a;
      } catch (err) {
        void message.error(t('common.actionFailed', { message: errorMessage(err) }));
        return undefined;
      }
    },
    [api, applyLocal, message, t],
  );

  return useMemo(
    () => ({
      ack: (id) => run(id, 'ack', {}),
      onSite: (id) => run(id, 'on-site', {}),
      assign: (id, assignee) => run(id, 'assign', { assignee }),
      comment: (id, text) => run(id, 'comment', { text }),
      resolve: (id, outcome, note) => run(id, 'resolve', { outcome, note }),
    }),
    [run],
  );
}
