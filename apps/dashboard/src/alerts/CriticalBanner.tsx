import { useEffect } from 'react';
import { Alert, Button, Space } from 'antd';
import { AlertOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { ruleLabel } from '../common/labels';
import { useDirectory } from '../directory/DirectoryContext';
import { useAlerts } from './AlertsContext';

/**
 * The visible cue for new critical alerts, on every page: a flashing red banner until someone opens
 * or acknowledges them, and the tab title, which shows in the taskbar when the screen is elsewhere.
 */
export function CriticalBanner() {
  const { t } = useTranslation();
  const { freshCritical, dismissFresh } = useAlerts();
  const dir = useDirectory();
  const navigate = useNavigate();
  const first = freshCritical[0];

  useEffect(() => {
    const base = t('app.name');
    document.title = freshCritical.length > 0 ? `(${freshCritical.length}) ${t('alerts.newCritical')} · ${base}` : base;
  }, [freshCritical.length, t]);

  if (!first) return null;
  const owner = dir.ownerOf(first);
  const who = owner?.type === 'resident' ? (owner.resident.name ?? owner.resident.id) : owner?.type === 'elevator' ? (owner.elevator.building ?? owner.elevator.id) : first.subject.id;
  return (
    <Alert
      className="hb-critical-banner"
      type="error"
      showIcon
      icon={<AlertOutlined />}
      role="alert"
      data-testid="critical-banner"
      title={freshCritical.length > 1 ? t('alerts.newCriticalCount', { count: freshCritical.length }) : t('alerts.newCritical')}
      description={`${ruleLabel(t, first.rule)} · ${who}`}
      action={
        <Space orientation="vertical" size={4}>
          <Button
            size="small"
            type="primary"
            danger
            onClick={() => {
              navigate(`/alerts/${encodeURIComponent(first.id)}`);
              dismissFresh();
            }}
          >
            {t('alerts.view')}
          </Button>
          <Button size="small" onClick={dismissFresh}>
            {t('alerts.seen')}
          </Button>
        </Space>
      }
    />
  );
}
