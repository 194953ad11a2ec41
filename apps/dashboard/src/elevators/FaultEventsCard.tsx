import { Card, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { ELEVATOR_EVENTS, type ElevatorEventName } from '@hearthbeat/contracts';
import { useSession } from '../auth/AuthContext';
import { formatDateTime } from '../common/format';
import { HistoryBody } from '../common/HistoryUnavailable';
import { useApiData, useSettledKey } from '../common/useApiData';
import { useLocale } from '../common/useLocale';
import { elevatorEventsSchema, getHistory, historyPaths, isUnavailable, type ElevatorEventRow } from '../history/historyApi';
import { daysBack } from '../history/ranges';
import { HISTORY_DAYS } from './AvailabilityCard';

function isElevatorEvent(v: string): v is ElevatorEventName {
  return (ELEVATOR_EVENTS as readonly string[]).includes(v);
}

export function elevatorEventLabel(t: TFunction, event: string): string {
  return isElevatorEvent(event) ? t(`elevators.events.${event}`) : event;
}

/**
 * The lift's fault events of the last 30 days as its terminal reported them (safety circuit, door lock,
 * overrun, power lost), newest first: what a maintainer reads before going on site. The alerts these
 * raised, with their outcomes, are in the alert history beside it.
 */
export function FaultEventsCard({ elevatorId, zone, refreshKey }: { elevatorId: string; zone: string | undefined; refreshKey?: string }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const { api } = useSession();
  const settledKey = useSettledKey(refreshKey);
  const data = useApiData(
    async (signal) => {
      const to = Date.now();
      const answer = await getHistory(api, historyPaths.events(elevatorId, { from: daysBack(to, zone, HISTORY_DAYS), to, faultsOnly: true, limit: 500 }), elevatorEventsSchema, signal);
      return isUnavailable(answer) ? answer : [...answer.events].sort((a, b) => b.ts - a.ts);
    },
    [api, elevatorId, zone, settledKey],
  );
  const columns: ColumnsType<ElevatorEventRow> = [
    { key: 'ts', title: t('elevators.eventTime'), render: (_, e) => formatDateTime(e.ts, locale, zone), width: 130 },
    {
      key: 'event',
      title: t('elevators.event'),
      render: (_, e) => (
        <Tag color={e.fault ? 'error' : 'default'} data-event={e.event}>
          {elevatorEventLabel(t, e.event)}
        </Tag>
      ),
    },
    { key: 'device', title: t('alerts.device'), render: (_, e) => <Typography.Text type="secondary">{e.device}</Typography.Text>, responsive: ['sm'] },
  ];
  const table = (rows: ElevatorEventRow[] | undefined) => (
    <Table<ElevatorEventRow>
      rowKey={(e) => `${e.ts}:${e.device}:${e.event}`}
      size="small"
      loading={!rows}
      columns={columns}
      dataSource={rows ?? []}
      pagination={{ pageSize: 10, hideOnSinglePage: true, showSizeChanger: false }}
      locale={{ emptyText: t('elevators.faultEventsEmpty', { days: HISTORY_DAYS }) }}
    />
  );
  const body = (
    <HistoryBody state={data} unavailableTitle={t('elevators.faultEventsUnavailable')} loading={table(undefined)}>
      {table}
    </HistoryBody>
  );
  return (
    <Card title={t('elevators.faultEvents', { days: HISTORY_DAYS })} size="small" className="hb-card" data-testid="fault-events-card">
      {body}
    </Card>
  );
}
