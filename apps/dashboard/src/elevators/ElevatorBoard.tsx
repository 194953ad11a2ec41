import { useMemo } from 'react';
import { Alert, Empty, Flex, Skeleton, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { RISK_RANK } from '@hearthbeat/contracts';
import type { AlertView } from '../api/schemas';
import { errorMessage } from '../api/client';
import { useAlerts } from '../alerts/AlertsContext';
import { useNow } from '../common/useNow';
import { useDirectory } from '../directory/DirectoryContext';
import { useCarStates } from './CarStates';
import { ElevatorCard } from './ElevatorCard';

/** Every lift the maintainer looks after, with its live car state; the worst first. */
export function ElevatorBoard() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const dir = useDirectory();
  const cars = useCarStates();
  const feed = useAlerts();
  const now = useNow(5_000);

  const alertsByElevator = useMemo(() => {
    const m = new Map<string, AlertView[]>();
    for (const a of feed.alerts) {
      if (a.state === 'resolved') continue;
      const o = dir.ownerOf(a);
      if (o?.type !== 'elevator') continue;
      m.set(o.elevator.id, [...(m.get(o.elevator.id) ?? []), a]);
    }
    return m;
  }, [feed.alerts, dir]);

  const list = useMemo(
    () => [...dir.elevators].sort((a, b) => RISK_RANK[b.risk] - RISK_RANK[a.risk] || (alertsByElevator.get(b.id)?.length ?? 0) - (alertsByElevator.get(a.id)?.length ?? 0) || a.id.localeCompare(b.id)),
    [dir.elevators, alertsByElevator],
  );

  return (
    <div className="hb-page">
      <Flex justify="space-between" align="center" wrap gap={8} className="hb-page-head">
        <Typography.Title level={3} className="hb-page-title">
          {t('elevators.title')}
        </Typography.Title>
      </Flex>
      {dir.error ? <Alert type="error" showIcon title={t('common.loadFailed', { message: errorMessage(dir.error) })} /> : null}
      {!dir.loaded ? (
        <Skeleton active />
      ) : list.length === 0 ? (
        <Empty description={t('elevators.empty')} />
      ) : (
        <div className="hb-elevator-grid">
          {list.map((e) => (
            <ElevatorCard key={e.id} elevator={e} car={cars.get(e.id)} alerts={alertsByElevator.get(e.id) ?? []} now={now} onOpen={(id) => navigate(`/elevators/${encodeURIComponent(id)}`)} />
          ))}
        </div>
      )}
    </div>
  );
}
