import { useEffect, useMemo, useState } from 'react';
import { Alert, Checkbox, Flex, Segmented, Typography } from 'antd';
import { z } from 'zod';
import { useTranslation } from 'react-i18next';
import { DEVICE_KINDS, type DeviceKind } from '@hearthbeat/contracts';
import { useSession } from '../auth/AuthContext';
import { deviceHealthSchema, type DeviceHealthView } from '../api/schemas';
import { errorMessage } from '../api/client';
import { DeviceHealthTable } from '../common/DeviceHealthTable';
import { useApiData, useThrottledCallback } from '../common/useApiData';
import { useDirectory } from '../directory/DirectoryContext';
import { useLiveMessages, useStreamEvents } from '../live/LiveContext';

/** Re-read at least this often: "last seen" and rejection counts change without a live event. */
const REFRESH_MS = 60_000;

/** Device health for the fleet: offline, low battery, rejected messages by reason; problems first. */
export function DevicesPage() {
  const { t } = useTranslation();
  const { api, kinds } = useSession();
  const dir = useDirectory();
  const [kind, setKind] = useState<DeviceKind | 'all'>('all');
  const [onlyOffline, setOnlyOffline] = useState(false);
  const [onlyLow, setOnlyLow] = useState(false);
  const devices = useApiData((signal) => api.get('/api/devices', z.array(deviceHealthSchema), signal), [api]);

  const reloadSoon = useThrottledCallback(devices.reload, 2000);
  useStreamEvents(reloadSoon);
  useLiveMessages((m) => {
    if (m.type === 'device') reloadSoon();
  });
  const { reload } = devices;
  useEffect(() => {
    const id = setInterval(reload, REFRESH_MS);
    return () => clearInterval(id);
  }, [reload]);

  const all = devices.data ?? [];
  const visibleKinds = DEVICE_KINDS.filter((k) => (k === 'elevator' ? kinds.includes('elevator') : kinds.includes('resident')));
  const rows = useMemo(() => {
    const problem = (d: DeviceHealthView) => (d.online ? 0 : 4) + (d.batteryLow ? 2 : 0) + (d.rejections.length > 0 ? 1 : 0);
    return all
      .filter((d) => kind === 'all' || d.kind === kind)
      .filter((d) => !onlyOffline || !d.online)
      .filter((d) => !onlyLow || d.batteryLow === true)
      .sort((a, b) => problem(b) - problem(a) || a.id.localeCompare(b.id));
  }, [all, kind, onlyOffline, onlyLow]);

  const ownerName = (d: DeviceHealthView) => {
    if (!d.subject) return undefined;
    if (d.subject.type === 'resident') {
      const r = dir.resident(d.subject.id);
      return r?.name ? `${r.name} · ${r.id}` : d.subject.id;
    }
    const e = dir.elevator(d.subject.id);
    return e?.building ? `${e.building} · ${e.id}` : d.subject.id;
  };

  return (
    <div className="hb-page">
      <Flex justify="space-between" align="center" wrap gap={8} className="hb-page-head">
        <Typography.Title level={3} className="hb-page-title">
          {t('devices.title')}
        </Typography.Title>
        <Typography.Text type="secondary" data-testid="device-summary">
          {t('devices.summary', {
            total: all.length,
            offline: all.filter((d) => !d.online).length,
            low: all.filter((d) => d.batteryLow).length,
            rejected: all.filter((d) => d.rejections.length > 0).length,
          })}
        </Typography.Text>
      </Flex>
      <Flex gap={8} wrap className="hb-filters">
        {visibleKinds.length > 1 ? (
          <Segmented<DeviceKind | 'all'>
            value={kind}
            onChange={setKind}
            options={[{ value: 'all', label: t('common.all') }, ...visibleKinds.map((k) => ({ value: k, label: t(`devices.kinds.${k}`) }))]}
          />
        ) : null}
        <Checkbox checked={onlyOffline} onChange={(e) => setOnlyOffline(e.target.checked)}>
          {t('devices.onlyOffline')}
        </Checkbox>
        <Checkbox checked={onlyLow} onChange={(e) => setOnlyLow(e.target.checked)}>
          {t('devices.onlyLowBattery')}
        </Checkbox>
      </Flex>
      {devices.error ? <Alert type="error" showIcon title={t('common.loadFailed', { message: errorMessage(devices.error) })} /> : null}
      <DeviceHealthTable devices={rows} loading={devices.loading && !devices.data} showOwner ownerName={ownerName} />
    </div>
  );
}
