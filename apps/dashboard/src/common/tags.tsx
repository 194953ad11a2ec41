import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AlertState, RiskColour, Severity } from '@hearthbeat/contracts';

/** antd preset colours for the five risk levels ("gold" reads better than the pale "yellow" on white). */
const RISK_TAG: Record<RiskColour, string> = { green: 'green', blue: 'blue', yellow: 'gold', orange: 'orange', red: 'red' };

/** The five-colour risk level, always with its name: colour alone fails colour-blind staff and grey-scale printouts. */
export function RiskTag({ colour }: { colour: RiskColour }) {
  const { t } = useTranslation();
  return (
    <Tag color={RISK_TAG[colour]} variant={colour === 'red' ? 'solid' : 'filled'} data-risk={colour} className="hb-risk-tag">
      {t(`risk.${colour}`)}
    </Tag>
  );
}

const SEVERITY_TAG: Record<Severity, string> = { critical: 'red', high: 'volcano', medium: 'gold', low: 'default' };

export function SeverityTag({ severity }: { severity: Severity }) {
  const { t } = useTranslation();
  return (
    <Tag color={SEVERITY_TAG[severity]} variant={severity === 'critical' ? 'solid' : 'filled'} data-severity={severity}>
      {t(`severity.${severity}`)}
    </Tag>
  );
}

const STATE_TAG: Record<AlertState, string> = { open: 'red', acknowledged: 'processing', resolved: 'success' };

export function StateTag({ state }: { state: AlertState }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATE_TAG[state]} variant="outlined" data-state={state}>
      {t(`state.${state}`)}
    </Tag>
  );
}
