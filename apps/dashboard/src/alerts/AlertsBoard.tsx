import { useEffect, useMemo, useState } from 'react';
import { Alert, Empty, Flex, Input, Segmented, Skeleton, Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import { SEVERITIES, type Severity } from '@hearthbeat/contracts';
import type { AlertView } from '../api/schemas';
import { errorMessage } from '../api/client';
import { useNow } from '../common/useNow';
import { useDirectory } from '../directory/DirectoryContext';
import { compareResolved, compareUrgency } from './alertOrder';
import { AlertCard } from './AlertCard';
import { AlertDetailDrawer } from './AlertDetailDrawer';
import { useAlerts } from './AlertsContext';
import { ResolveModal } from './ResolveModal';
import { useAlertActions } from './useAlertActions';

type Tab = 'active' | 'resolved';

/** The live alerts board: most urgent first, acted on in place, details in a drawer (/alerts/:id). */
export function AlertsBoard() {
  const { t } = useTranslation();
  const { id } = useParams();
  const navigate = useNavigate();
  const feed = useAlerts();
  const dir = useDirectory();
  const actions = useAlertActions();
  const now = useNow();
  const [tab, setTab] = useState<Tab>('active');
  const [severity, setSeverity] = useState<Severity | 'all'>('all');
  const [query, setQuery] = useState('');
  const [resolving, setResolving] = useState<AlertView | undefined>();
  const [acking, setAcking] = useState<string | undefined>();
  const [resolvedError, setResolvedError] = useState<unknown>();

  const { loadResolved } = feed;
  useEffect(() => {
    if (tab === 'resolved') loadResolved().then(() => setResolvedError(undefined), setResolvedError);
  }, [tab, loadResolved]);

  const freshIds = useMemo(() => new Set(feed.freshCritical.map((a) => a.id)), [feed.freshCritical]);
  const active = useMemo(() => feed.alerts.filter((a) => a.state !== 'resolved'), [feed.alerts]);
  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    const matches = (a: AlertView) => {
      if (severity !== 'all' && a.severity !== severity) return false;
      if (!q) return true;
      const o = dir.ownerOf(a);
      const hay = [a.id, a.subject.id, a.deviceId, a.rule, o?.type === 'resident' ? `${o.resident.name ?? ''} ${o.resident.address ?? ''}` : o?.elevator.building];
      return hay.some((s) => s?.toLowerCase().includes(q));
    };
    const list = (tab === 'active' ? active : feed.alerts.filter((a) => a.state === 'resolved')).filter(matches);
    return list.sort(tab === 'active' ? compareUrgency((a) => dir.colourOf(a)) : compareResolved);
  }, [feed.alerts, active, tab, severity, query, dir]);

  const counts = useMemo(() => {
    const c: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0 };
    for (const a of active) c[a.severity]++;
    return c;
  }, [active]);
  const unacked = active.filter((a) => a.state === 'open').length;

  const open = (alertId: string) => navigate(`/alerts/${encodeURIComponent(alertId)}`);
  const ack = async (alertId: string) => {
    setAcking(alertId);
    await actions.ack(alertId);
    setAcking(undefined);
  };

  return (
    <div className="hb-page hb-alerts-page">
      <Flex justify="space-between" align="center" wrap gap={8} className="hb-page-head">
        <Typography.Title level={3} className="hb-page-title">
          {t('alerts.title')}
        </Typography.Title>
        <Typography.Text type="secondary" data-testid="alert-summary">
          {t('alerts.summary', { open: unacked, total: active.length })}
        </Typography.Text>
      </Flex>
      <Flex gap={8} wrap className="hb-filters">
        <Segmented<Severity | 'all'>
          value={severity}
          onChange={setSeverity}
          options={[
            { value: 'all', label: `${t('common.all')} ${active.length}` },
            ...SEVERITIES.map((s) => ({ value: s, label: `${t(`severity.${s}`)} ${counts[s]}` })),
          ]}
        />
        <Input.Search allowClear placeholder={t('alerts.searchPlaceholder')} value={query} onChange={(e) => setQuery(e.target.value)} className="hb-search" />
      </Flex>
      <Tabs
        activeKey={tab}
        onChange={(k) => setTab(k === 'resolved' ? 'resolved' : 'active')}
        items={[
          { key: 'active', label: `${t('alerts.active')} (${active.length})` },
          { key: 'resolved', label: t('alerts.resolved') },
        ]}
      />
      {feed.error ? <Alert type="error" showIcon title={t('common.loadFailed', { message: errorMessage(feed.error) })} /> : null}
      {tab === 'resolved' && resolvedError ? <Alert type="error" showIcon title={t('common.loadFailed', { message: errorMessage(resolvedError) })} /> : null}
      {!feed.loaded ? (
        <Skeleton active />
      ) : shown.length === 0 ? (
        <Empty className="hb-empty" description={tab === 'active' ? t('alerts.empty') : t('alerts.emptyResolved')} data-testid="alerts-empty" />
      ) : (
        <div className="hb-alert-grid" data-testid="alert-list">
          {shown.map((a) => (
            <AlertCard key={a.id} alert={a} now={now} fresh={freshIds.has(a.id)} onOpen={open} onAck={(x) => void ack(x)} onResolve={(x) => setResolving(feed.get(x))} busy={acking === a.id} />
          ))}
        </div>
      )}
      <AlertDetailDrawer id={id} onClose={() => navigate('/alerts')} onResolve={setResolving} />
      <ResolveModal
        alert={resolving}
        onCancel={() => setResolving(undefined)}
        onResolve={async (alertId, outcome, note) => {
          const done = await actions.resolve(alertId, outcome, note);
          if (done) setResolving(undefined);
        }}
      />
    </div>
  );
}
