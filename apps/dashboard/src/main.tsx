import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { alarmSound } from './alerts/alarmSound';
import { App } from './app/App';
import { initI18n } from './i18n';
import './styles.css';

initI18n();
// Browsers allow sound only after a user gesture: the first click or key press anywhere unlocks it.
alarmSound.installUnlock();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
