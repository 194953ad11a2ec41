import { useSyncExternalStore } from 'react';
import { Button, Tooltip } from 'antd';
import { SoundOutlined, MutedOutlined, WarningOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useAlerts } from './AlertsContext';

/** "Sound on/off", and a warning while the browser still blocks sound (before the first click). */
export function SoundToggle({ compact }: { compact: boolean }) {
  const { t } = useTranslation();
  const { sound } = useAlerts();
  const snapshot = useSyncExternalStore(
    (cb) => sound.subscribe(cb),
    () => `${sound.isEnabled}|${sound.isUnlocked}|${sound.played}`,
  );
  const [enabled, unlocked] = snapshot.split('|');
  const on = enabled === 'true';
  const locked = on && unlocked !== 'true';
  const label = locked ? t('sound.locked') : on ? t('sound.on') : t('sound.off');
  return (
    <Tooltip title={t('sound.toggle')}>
      <Button
        className={`hb-sound ${locked ? 'hb-sound-locked' : ''}`}
        type={on ? 'default' : 'dashed'}
        icon={locked ? <WarningOutlined /> : on ? <SoundOutlined /> : <MutedOutlined />}
        aria-pressed={on}
        aria-label={label}
        data-sound={on ? 'on' : 'off'}
        data-unlocked={unlocked}
        data-alarms={sound.played}
        onClick={() => sound.setEnabled(!on)}
      >
        {compact ? null : label}
      </Button>
    </Tooltip>
  );
}
