import { Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { z } from 'zod';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { useSession } from '../auth/AuthContext';
import { alertSchema, type AlertView } from '../api/schemas';
import { formatDateTime } from './format';
import { outcomeLabel, ruleLabel } from './labels';
import { SeverityTag, StateTag } from './tags';
import { useApiData } from './useApiData';
import { useLocale } from './useLocale';

/**
 * Every alert of a subject and of its devices (device alerts are filed under the device), newest
 * first: for a resident, the history behind the colour; for a lift, its fault history.
 */
/** `refreshKey` changes when one of the subject's alerts changes (from the live feed): then the history is re-read. */
export function AlertHistory({ subjectIds, zone, refreshKey }: { subjectIds: string[]; zone: string | undefined; refreshKey: string }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const navigate = useNavigate();
  const { api } = useSession();
  // An elevator and its terminal often share an id (EL-0001): ask once.
  const ids = [...new Set(subjectIds)];
  const key = ids.join(',');
  const history = useApiData(
    async (signal) => {
      const lists = await Promise.all(
        ids.map((id) => api.get(`/api/alerts?${new URLSearchParams({ subjectId: id, limit: '200' }).toString()}`, z.array(alertSchema), signal)),
      );
      return lists.flat().sort((a, b) => b.openedAt - a.openedAt);
    },
    [api, key, refreshKey],
  );
  const columns: ColumnsType<AlertView> = [
    { key: 'at', title: t('alerts.openedAt'), render: (_, a) => formatDateTime(a.openedAt, locale, zone), width: 120 },
    { key: 'rule', title: t('alerts.rule'), render: (_, a) => <Typography.Text strong>{ruleLabel(t, a.rule)}</Typography.Text> },
    { key: 'sev', title: t('alerts.filterSeverity'), render: (_, a) => <SeverityTag severity={a.severity} />, responsive: ['sm'] },
    {
      key: 'state',
      title: t('alerts.filterState'),
      render: (_, a) => (
        <>
          <StateTag state={a.state} />
          {a.outcome ? <div className="hb-small">{outcomeLabel(t, a.outcome)}</div> : null}
        </>
      ),
    },
  ];
  return (
    <Table<AlertView>
      rowKey="id"
      size="small"
      loading={history.loading && !history.data}
      columns={columns}
      dataSource={history.data ?? []}
      pagination={{ pageSize: 10, hideOnSinglePage: true, showSizeChanger: false }}
      locale={{ emptyText: t('alerts.historyEmpty') }}
      onRow={(a) => ({ onClick: () => navigate(`/alerts/${encodeURIComponent(a.id)}`), className: 'hb-clickable' })}
    />
  );
}
