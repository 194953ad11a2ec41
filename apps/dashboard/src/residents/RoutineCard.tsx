import { Card } from 'antd';
import { useTranslation } from 'react-i18next';
import { HistoryUnavailable } from '../common/HistoryUnavailable';

/**
 * The learned routine (usual rising time, water-use hours) once the engine learns one. No route serves
 * it yet (the alerts API only has the `mark-normal` hook), so this says so plainly.
 */
export function RoutineCard() {
  const { t } = useTranslation();
  return (
    <Card title={t('routine.title')} size="small" className="hb-card">
      <HistoryUnavailable title={t('routine.unavailable')} hint={t('routine.unavailableHint')} />
    </Card>
  );
}
