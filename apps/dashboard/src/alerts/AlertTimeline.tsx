import { Empty, Timeline, Typography } from 'antd';
import { USER_ROLES, type UserRole } from '@hearthbeat/contracts';
import { useTranslation } from 'react-i18next';
import type { TimelineEntryView } from '../api/schemas';
import { formatDateTime } from '../common/format';
import { actorLabel, outcomeLabel, timelineLabel } from '../common/labels';
import { useLocale } from '../common/useLocale';

const COLOUR: Record<string, string> = {
  opened: 'red',
  reopened: 'red',
  escalated: 'red',
  reminder: 'orange',
  acknowledged: 'blue',
  assigned: 'blue',
  resolved: 'green',
  marked_normal: 'green',
  condition_cleared: 'green',
};

/** Every step of the alert, newest last, with who did it: the record a supervisor reviews afterwards. */
export function AlertTimeline({ entries, zone }: { entries: TimelineEntryView[]; zone: string | undefined }) {
  const { t } = useTranslation();
  const locale = useLocale();
  if (entries.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('alerts.timelineEmpty')} />;
  return (
    <Timeline
      className="hb-timeline"
      items={entries.map((e) => {
        const target = e.details?.['target'];
        const outcome = e.details?.['outcome'];
        const assignee = e.details?.['assignee'];
        return {
          key: e.n,
          color: COLOUR[e.action] ?? 'gray',
          // The time sits above each step rather than in a column of its own: a phone has no room for two.
          content: (
            <div data-timeline-action={e.action}>
              <div className="hb-small hb-muted">{formatDateTime(e.at, locale, zone)}</div>
              <Typography.Text strong>{timelineLabel(t, e.action)}</Typography.Text>
              {typeof target === 'string' ? <Typography.Text> {t('timeline.to', { target: isRole(target) ? t(`role.${target}`) : target })}</Typography.Text> : null}
              {typeof assignee === 'string' ? <Typography.Text> → {assignee}</Typography.Text> : null}
              {typeof outcome === 'string' ? <Typography.Text> · {outcomeLabel(t, outcome)}</Typography.Text> : null}
              <Typography.Text type="secondary"> · {actorLabel(t, e.by)}</Typography.Text>
              {e.note ? <div className="hb-timeline-note">{e.note}</div> : null}
            </div>
          ),
        };
      })}
    />
  );
}

function isRole(v: string): v is UserRole {
  return (USER_ROLES as readonly string[]).includes(v);
}
