import { useEffect, useState } from 'react';
import { AutoComplete, Button, Descriptions, Divider, Drawer, Flex, Grid, Input, Result, Space, Spin, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSession } from '../auth/AuthContext';
import { ApiError } from '../api/client';
import { alertDetailSchema, type AlertView } from '../api/schemas';
import { formatDateTime, formatRelative } from '../common/format';
import { outcomeLabel, ruleLabel } from '../common/labels';
import { SeverityTag, StateTag } from '../common/tags';
import { useApiData } from '../common/useApiData';
import { useLocale } from '../common/useLocale';
import { useNow } from '../common/useNow';
import { useDirectory } from '../directory/DirectoryContext';
import { useAlerts } from './AlertsContext';
import { AlertTimeline } from './AlertTimeline';
import { SubjectLabel } from './SubjectLabel';
import { useAlertActions } from './useAlertActions';

interface Props {
  id: string | undefined;
  onClose(): void;
  onResolve(a: AlertView): void;
}

/** An alert with everything needed to act on it: facts, escalation, actions and the full timeline. */
export function AlertDetailDrawer({ id, onClose, onResolve }: Props) {
  const { t } = useTranslation();
  const screens = Grid.useBreakpoint();
  const { api } = useSession();
  const feed = useAlerts();
  const dir = useDirectory();
  const detail = useApiData((signal) => (id ? api.get(`/api/alerts/${encodeURIComponent(id)}`, alertDetailSchema, signal) : Promise.resolve(undefined)), [api, id]);

  // Another screen acted on this alert: re-read its timeline.
  const reloadDetail = detail.reload;
  const { onAlertPush } = feed;
  useEffect(() => onAlertPush((p) => (p.alert.id === id ? reloadDetail() : undefined)), [onAlertPush, id, reloadDetail]);

  const live = id ? feed.get(id) : undefined;
  // The feed is updated live; the detail brings the timeline. Prefer the live summary when both exist.
  const summary: AlertView | undefined = live ?? detail.data ?? undefined;
  const notFound = detail.error instanceof ApiError && (detail.error.status === 404 || detail.error.status === 403);

  return (
    <Drawer
      open={id !== undefined}
      onClose={onClose}
      size={screens.md ? 560 : '100%'}
      title={summary ? ruleLabel(t, summary.rule) : t('alerts.detailTitle')}
      destroyOnHidden
      className="hb-alert-drawer"
    >
      {notFound ? (
        <Result status="warning" title={t('alerts.notFound')} />
      ) : !summary ? (
        <Spin />
      ) : (
        <div data-alert-detail={summary.id}>
          <AlertFacts alert={summary} />
          {summary.state !== 'resolved' ? <ActionsPanel alert={summary} onResolve={() => onResolve(summary)} onDone={detail.reload} /> : null}
          <Divider titlePlacement="start">{t('alerts.timeline')}</Divider>
          {detail.data ? <AlertTimeline entries={detail.data.timeline} zone={dir.zoneOf(summary.site)} /> : <Spin />}
        </div>
      )}
    </Drawer>
  );
}

function AlertFacts({ alert: a }: { alert: AlertView }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const now = useNow();
  const dir = useDirectory();
  const zone = dir.zoneOf(a.site);
  const at = (ms: number | undefined) => (ms === undefined ? '—' : formatDateTime(ms, locale, zone));
  return (
    <>
      <Flex gap={6} wrap className="hb-detail-tags">
        <SeverityTag severity={a.severity} />
        <StateTag state={a.state} />
        {a.outcome ? <Typography.Text>{outcomeLabel(t, a.outcome)}</Typography.Text> : null}
      </Flex>
      <Descriptions size="small" column={1} bordered className="hb-facts" styles={{ label: { whiteSpace: 'nowrap' } }}>
        <Descriptions.Item label={t('alerts.subject')}>
          <SubjectLabel alert={a} withAddress />
        </Descriptions.Item>
        <Descriptions.Item label={t('common.site')}>{dir.sites.get(a.site)?.name ?? a.site}</Descriptions.Item>
        <Descriptions.Item label={t('alerts.openedAt')}>
          {at(a.openedAt)} ({formatRelative(a.reopenedAt ?? a.openedAt, now, locale)})
        </Descriptions.Item>
        <Descriptions.Item label={t('alerts.lastSeen')}>
          {at(a.lastSeenAt)} · {t('alerts.count')} {a.count}
        </Descriptions.Item>
        {a.deviceId ? <Descriptions.Item label={t('alerts.device')}>{a.deviceId}</Descriptions.Item> : null}
        <Descriptions.Item label={t('alerts.reason')}>
          {a.reason} <Typography.Text type="secondary">{t('alerts.reasonNote')}</Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('alerts.escalation')}>
          {a.escalationLevel > 0 ? t('alerts.escalationLevel', { level: a.escalationLevel }) : '—'}
          {a.state === 'open' && a.nextEscalationAt ? ` · ${t('alerts.escalatesIn', { time: formatRelative(a.nextEscalationAt, now, locale) })}` : ''}
          {a.state === 'open' && a.nextReminderAt ? ` · ${t('alerts.nextReminder')} ${formatRelative(a.nextReminderAt, now, locale)}` : ''}
        </Descriptions.Item>
        {a.onSiteBy ? (
          <Descriptions.Item label={t('timeline.on_site')}>
            {a.onSiteBy} {at(a.onSiteAt)}
          </Descriptions.Item>
        ) : null}
        <Descriptions.Item label={t('alerts.assignee')}>
          {a.assignee ?? '—'}
          {a.acknowledgedBy ? ` · ${t('alerts.acknowledgedBy', { user: a.acknowledgedBy })} ${at(a.acknowledgedAt)}` : ''}
        </Descriptions.Item>
        {a.resolvedBy ? (
          <Descriptions.Item label={t('state.resolved')}>
            {t('alerts.resolvedBy', { user: a.resolvedBy })} {at(a.resolvedAt)}
          </Descriptions.Item>
        ) : null}
      </Descriptions>
    </>
  );
}

function ActionsPanel({ alert: a, onResolve, onDone }: { alert: AlertView; onResolve(): void; onDone(): void }) {
  const { t } = useTranslation();
  const { user } = useSession();
  const actions = useAlertActions();
  const feed = useAlerts();
  const [busy, setBusy] = useState<string | undefined>();
  const [assignee, setAssignee] = useState('');
  const [comment, setComment] = useState('');

  // People seen acting on alerts are offered as assignees (the API has no user directory for staff).
  const known = new Set<string>([user.id]);
  for (const x of feed.alerts) {
    if (x.site !== a.site) continue;
    if (x.acknowledgedBy) known.add(x.acknowledgedBy);
    if (x.assignee) known.add(x.assignee);
  }

  const run = async (name: string, fn: () => Promise<unknown>) => {
    setBusy(name);
    try {
      if (await fn()) onDone();
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <div className="hb-actions-panel">
      <Space wrap>
        {a.state === 'open' ? (
          <Button type="primary" danger={a.severity === 'critical'} loading={busy === 'ack'} onClick={() => void run('ack', () => actions.ack(a.id))} data-action="ack">
            {t('alerts.actions.ack')}
          </Button>
        ) : null}
        {a.onSiteAt === undefined ? (
          <Button loading={busy === 'on-site'} onClick={() => void run('on-site', () => actions.onSite(a.id))} data-action="on-site">
            {t('alerts.actions.onSite')}
          </Button>
        ) : null}
        <Button onClick={onResolve} data-action="resolve">
          {t('alerts.actions.resolve')}
        </Button>
      </Space>
      <Flex gap={8} className="hb-action-row">
        <AutoComplete
          value={assignee}
          onChange={setAssignee}
          options={[...known].map((u) => ({ value: u }))}
          placeholder={t('alerts.actions.assignPlaceholder')}
          className="hb-grow"
        />
        <Button loading={busy === 'assign'} disabled={!assignee.trim()} onClick={() => void run('assign', () => actions.assign(a.id, assignee.trim()))}>
          {t('alerts.actions.assign')}
        </Button>
        <Button type="link" onClick={() => void run('assign', () => actions.assign(a.id, user.id))}>
          {t('alerts.actions.assignToMe')}
        </Button>
      </Flex>
      <Flex gap={8} className="hb-action-row">
        <Input.TextArea
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          placeholder={t('alerts.actions.commentPlaceholder')}
          autoSize={{ minRows: 1, maxRows: 4 }}
          maxLength={2000}
          className="hb-grow"
          data-field="comment"
        />
        <Button
          loading={busy === 'comment'}
          disabled={!comment.trim()}
          onClick={() =>
            void run('comment', async () => {
              const r = await actions.comment(a.id, comment.trim());
              if (r) setComment('');
              return r;
            })
          }
          data-action="comment"
        >
          {t('alerts.actions.send')}
        </Button>
      </Flex>
    </div>
  );
}
