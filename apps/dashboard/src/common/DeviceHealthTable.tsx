import { Flex, Progress, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { REJECTION_REASONS, type RejectionReason } from '@hearthbeat/contracts';
import type { DeviceHealthView } from '../api/schemas';
import { formatDateTime, formatRelative } from './format';
import { useLocale } from './useLocale';
import { useNow } from './useNow';

function isReason(v: string): v is RejectionReason {
  return (REJECTION_REASONS as readonly string[]).includes(v);
}

/** Typical NB-IoT/LoRa thresholds: above -85 dBm is good, below -105 dBm is poor. */
function signalLevel(rssi: number): 'good' | 'fair' | 'poor' {
  return rssi >= -85 ? 'good' : rssi >= -105 ? 'fair' : 'poor';
}

interface Props {
  devices: DeviceHealthView[];
  loading?: boolean;
  showOwner?: boolean;
  zone?: string;
  ownerName?: (d: DeviceHealthView) => string | undefined;
}

/** Device health: online, last seen, battery, signal and rejected messages by reason. */
export function DeviceHealthTable({ devices, loading = false, showOwner = false, zone, ownerName }: Props) {
  const { t } = useTranslation();
  const locale = useLocale();
  const now = useNow(30_000);
  const columns: ColumnsType<DeviceHealthView> = [
    {
      key: 'id',
      title: t('common.id'),
      render: (_, d) => (
        <div>
          <Typography.Text strong>{d.id}</Typography.Text>
          <div className="hb-muted hb-small">{t(`devices.kinds.${d.kind}`)}</div>
          {d.rejections.length > 0 ? (
            <div className="hb-only-phone hb-small hb-warn-text">
              {t('devices.rejected')} {d.rejections.reduce((n, r) => n + r.count, 0)}
            </div>
          ) : null}
        </div>
      ),
    },
    ...(showOwner
      ? [
          {
            key: 'owner',
            title: t('devices.owner'),
            responsive: ['md' as const],
            render: (_: unknown, d: DeviceHealthView) =>
              d.subject ? <Link to={`/${d.subject.type}s/${encodeURIComponent(d.subject.id)}`}>{ownerName?.(d) ?? d.subject.id}</Link> : '—',
          },
        ]
      : []),
    {
      key: 'status',
      title: t('devices.status'),
      render: (_, d) => (
        <Flex vertical gap={2}>
          <span>{d.online ? <Tag color="success">{t('devices.online')}</Tag> : <Tag color="error">{t('devices.offline')}</Tag>}</span>
          <Tooltip title={d.lastSeenAt ? formatDateTime(d.lastSeenAt, locale, zone) : undefined}>
            <Typography.Text type="secondary" className="hb-small">
              {t('devices.lastSeen')} {d.lastSeenAt ? formatRelative(d.lastSeenAt, now, locale) : t('common.never')}
            </Typography.Text>
          </Tooltip>
        </Flex>
      ),
    },
    {
      key: 'battery',
      title: `${t('devices.battery')} / ${t('devices.signal')}`,
      // One column for both, so that a phone (where the wide columns are hidden) still shows the signal.
      render: (_, d) => (
        <Flex vertical gap={2}>
          {d.batteryPct === undefined ? (
            <span className="hb-muted">—</span>
          ) : (
            <Tooltip title={d.batteryLow ? t('devices.batteryLow') : undefined}>
              <Progress percent={Math.round(d.batteryPct)} size="small" status={d.batteryLow ? 'exception' : 'normal'} format={(p) => `${p ?? 0}%`} className="hb-battery" />
            </Tooltip>
          )}
          {d.rssi === undefined ? null : (
            <span className={`hb-small hb-signal hb-signal-${signalLevel(d.rssi)}`}>
              {d.rssi} dBm · {t(`devices.signalLevel.${signalLevel(d.rssi)}`)}
            </span>
          )}
        </Flex>
      ),
      width: 140,
    },
    {
      key: 'rejected',
      title: t('devices.rejected'),
      responsive: ['sm'],
      render: (_, d) =>
        d.rejections.length === 0 ? (
          <span className="hb-muted">0</span>
        ) : (
          <Flex gap={4} wrap>
            {d.rejections.map((r) => (
              <Tooltip key={`${r.source}-${r.reason}`} title={r.lastMessage}>
                <Tag color="warning">
                  {isReason(r.reason) ? t(`rejection.${r.reason}`) : r.reason} × {r.count}
                </Tag>
              </Tooltip>
            ))}
          </Flex>
        ),
    },
  ];
  return (
    <Table<DeviceHealthView>
      rowKey="id"
      size="small"
      loading={loading}
      columns={columns}
      dataSource={devices}
      pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
      locale={{ emptyText: t('devices.empty') }}
      className="hb-device-table"
    />
  );
}
