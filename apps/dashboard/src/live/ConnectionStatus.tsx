import { Alert, Badge, Button, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatTime } from '../common/format';
import { useLocale } from '../common/useLocale';
import { useLive } from './LiveContext';

/** The small header indicator: green "Live", or what the connection is doing. */
export function ConnectionBadge({ compact }: { compact: boolean }) {
  const { t } = useTranslation();
  const { state } = useLive();
  const text =
    state.status === 'live'
      ? t('live.live')
      : state.status === 'syncing'
        ? t('live.catchingUp')
        : state.status === 'connecting'
          ? t('live.connecting')
          : t('live.lost');
  const status = state.status === 'live' ? 'success' : state.status === 'reconnecting' ? 'error' : 'processing';
  return (
    <Tooltip title={text}>
      <span className={`hb-conn hb-conn-${state.status}`} data-live={state.status} aria-live="polite">
        <Badge status={status} text={compact ? undefined : text} />
      </span>
    </Tooltip>
  );
}

/**
 * The page-wide warning while the live connection is down: staff must never act on a frozen view
 * without knowing it (domain.md complaint 9).
 */
export function ConnectionBanner() {
  const { t } = useTranslation();
  const locale = useLocale();
  const { state, reconnectNow } = useLive();
  if (state.status !== 'reconnecting') return null;
  return (
    <Alert
      className="hb-conn-banner"
      type="warning"
      showIcon
      banner
      data-testid="connection-lost"
      title={t('live.lostSince', { time: formatTime(state.lostAt ?? Date.now(), locale, Intl.DateTimeFormat().resolvedOptions().timeZone), attempt: state.attempt })}
      action={
        <Button size="small" onClick={reconnectNow}>
          {t('live.reconnectNow')}
        </Button>
      }
    />
  );
}
