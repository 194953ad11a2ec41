import { Card, Flex, List, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import type { AlertView } from '../api/schemas';
import { formatRelative } from './format';
import { ruleLabel } from './labels';
import { SeverityTag, StateTag } from './tags';
import { useLocale } from './useLocale';
import { useNow } from './useNow';

/** The subject's unresolved alerts, each a link to the board's detail drawer. */
export function OpenAlerts({ alerts }: { alerts: AlertView[] }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const now = useNow();
  const navigate = useNavigate();
  if (alerts.length === 0) return null;
  return (
    <Card size="small" className="hb-card hb-open-alerts" title={`${t('residents.openAlerts')} (${alerts.length})`}>
      <List
        size="small"
        dataSource={alerts}
        renderItem={(a) => (
          <List.Item className="hb-clickable" onClick={() => navigate(`/alerts/${encodeURIComponent(a.id)}`)} data-alert-id={a.id}>
            <Flex gap={6} wrap align="center">
              <SeverityTag severity={a.severity} />
              <Typography.Text strong>{ruleLabel(t, a.rule)}</Typography.Text>
              <StateTag state={a.state} />
              <Typography.Text type="secondary">{formatRelative(a.openedAt, now, locale)}</Typography.Text>
            </Flex>
          </List.Item>
        )}
      />
    </Card>
  );
}
