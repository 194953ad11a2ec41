import { Button, Card, Flex, Tag, Tooltip, Typography } from 'antd';
import { CheckOutlined, ClockCircleOutlined, RiseOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { AlertView } from '../api/schemas';
import { formatDateTime, formatRelative } from '../common/format';
import { ruleLabel, outcomeLabel } from '../common/labels';
import { SeverityTag, StateTag } from '../common/tags';
import { useLocale } from '../common/useLocale';
import { useDirectory } from '../directory/DirectoryContext';
import { SubjectLabel } from './SubjectLabel';

interface Props {
  alert: AlertView;
  now: number;
  fresh: boolean;
  onOpen(id: string): void;
  onAck(id: string): void;
  onResolve(id: string): void;
  busy: boolean;
}

/** One alert on the board: what, who, how long it has waited, who is on it, and the next step. */
export function AlertCard({ alert: a, now, fresh, onOpen, onAck, onResolve, busy }: Props) {
  const { t } = useTranslation();
  const locale = useLocale();
  const dir = useDirectory();
  const zone = dir.zoneOf(a.site);
  const since = a.reopenedAt ?? a.openedAt;
  const classes = ['hb-alert', `hb-alert-${a.severity}`, `hb-alert-${a.state}`, fresh ? 'hb-alert-fresh' : ''].join(' ');
  return (
    <Card size="small" className={classes} data-alert-id={a.id} data-state={a.state} data-rule={a.rule} hoverable onClick={() => onOpen(a.id)}>
      <Flex justify="space-between" align="start" gap={8}>
        <Flex gap={6} wrap align="center" className="hb-alert-head">
          <SeverityTag severity={a.severity} />
          <Typography.Text strong className="hb-alert-rule">
            {ruleLabel(t, a.rule)}
          </Typography.Text>
          <StateTag state={a.state} />
        </Flex>
        <Tooltip title={formatDateTime(since, locale, zone)}>
          <Typography.Text type="secondary" className="hb-nowrap">
            <ClockCircleOutlined /> {formatRelative(since, now, locale)}
          </Typography.Text>
        </Tooltip>
      </Flex>
      <div className="hb-alert-subject">
        <SubjectLabel alert={a} withAddress />
      </div>
      {a.reason ? (
        <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} className="hb-alert-reason">
          {a.reason}
        </Typography.Paragraph>
      ) : null}
      <Flex gap={6} wrap align="center" className="hb-alert-meta">
        {a.deviceId && !(a.subject.type === 'elevator' && a.deviceId === a.subject.id) ? <Tag variant="outlined">{t('alerts.deviceTag', { id: a.deviceId })}</Tag> : null}
        {a.state === 'open' ? <Tag color="error">{t('alerts.unacknowledged')}</Tag> : null}
        {a.acknowledgedBy && a.state !== 'resolved' ? (
          <Tag icon={<CheckOutlined />} data-testid="acked-by">
            {t('alerts.acknowledgedBy', { user: a.acknowledgedBy })}
          </Tag>
        ) : null}
        {a.onSiteBy && a.state !== 'resolved' ? <Tag color="cyan">{t('alerts.onSite', { user: a.onSiteBy })}</Tag> : null}
        {a.assignee && a.state !== 'resolved' ? <Tag icon={<UserOutlined />}>{t('alerts.assignedTo', { user: a.assignee })}</Tag> : null}
        {a.escalationLevel > 0 ? (
          <Tag color="magenta" icon={<RiseOutlined />}>
            {t('alerts.escalationLevel', { level: a.escalationLevel })}
          </Tag>
        ) : null}
        {a.state === 'open' && a.nextEscalationAt ? (
          <Typography.Text type="warning" className="hb-small">
            {t('alerts.escalatesIn', { time: formatRelative(a.nextEscalationAt, now, locale) })}
          </Typography.Text>
        ) : null}
        {a.state === 'resolved' && a.outcome ? <Tag color="success">{outcomeLabel(t, a.outcome)}</Tag> : null}
        {a.state === 'resolved' && a.resolvedBy ? <Typography.Text type="secondary">{t('alerts.resolvedBy', { user: a.resolvedBy })}</Typography.Text> : null}
      </Flex>
      {a.state !== 'resolved' ? (
        <Flex gap={8} className="hb-alert-actions" onClick={(e) => e.stopPropagation()}>
          {a.state === 'open' ? (
            <Button type="primary" danger={a.severity === 'critical'} loading={busy} onClick={() => onAck(a.id)} data-action="ack">
              {t('alerts.actions.ack')}
            </Button>
          ) : null}
          <Button onClick={() => onResolve(a.id)} data-action="resolve">
            {t('alerts.actions.resolve')}
          </Button>
          <Button type="text" onClick={() => onOpen(a.id)} data-action="details">
            {t('common.details')}
          </Button>
        </Flex>
      ) : null}
    </Card>
  );
}
