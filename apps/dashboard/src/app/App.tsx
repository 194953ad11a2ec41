import { lazy, useEffect, type ReactNode } from 'react';
import { App as AntApp, ConfigProvider, Result } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import 'dayjs/locale/en-gb';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { AlertsBoard } from '../alerts/AlertsBoard';
import { AlertsProvider } from '../alerts/AlertsContext';
import { AuthProvider, useAuth, useSession, type SubjectKind } from '../auth/AuthContext';
import { LoginPage } from '../auth/LoginPage';
import { DirectoryProvider } from '../directory/DirectoryContext';
import { CarStatesProvider } from '../elevators/CarStates';
import { LiveProvider } from '../live/LiveContext';
import { AppShell } from './AppShell';
import { theme } from './theme';

// The board is the page staff live on; the others (and their date picker and tables) load on first visit.
const ResidentsPage = lazy(() => import('../residents/ResidentsPage').then((m) => ({ default: m.ResidentsPage })));
const ResidentDetailPage = lazy(() => import('../residents/ResidentDetailPage').then((m) => ({ default: m.ResidentDetailPage })));
const ElevatorBoard = lazy(() => import('../elevators/ElevatorBoard').then((m) => ({ default: m.ElevatorBoard })));
const ElevatorDetailPage = lazy(() => import('../elevators/ElevatorDetailPage').then((m) => ({ default: m.ElevatorDetailPage })));
const DevicesPage = lazy(() => import('../devices/DevicesPage').then((m) => ({ default: m.DevicesPage })));

/** Everything behind the login: one live connection, the directory and the alert feed for all pages. */
function SignedIn() {
  const { session } = useAuth();
  const location = useLocation();
  if (!session) return <Navigate to="/login" replace state={{ from: `${location.pathname}${location.search}` }} />;
  return (
    <LiveProvider token={session.token}>
      <DirectoryProvider>
        <AlertsProvider>
          <CarStatesProvider>
            <AppShell />
          </CarStatesProvider>
        </AlertsProvider>
      </DirectoryProvider>
    </LiveProvider>
  );
}

function RequireKind({ kind, children }: { kind: SubjectKind; children: ReactNode }) {
  const { t } = useTranslation();
  const { kinds } = useSession();
  return kinds.includes(kind) ? children : <Result status="403" title={t('common.notAllowed')} />;
}

function NotFound() {
  const { t } = useTranslation();
  return <Result status="404" title={t('common.notFound')} />;
}

function Localised({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  const en = i18n.language === 'en';
  useEffect(() => {
    dayjs.locale(en ? 'en-gb' : 'zh-cn');
  }, [en]);
  return (
    <ConfigProvider locale={en ? enUS : zhCN} theme={theme} button={{ autoInsertSpace: false }}>
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

export function App() {
  return (
    <Localised>
      <AuthProvider>
        <BrowserRouter>
          <Routes>
            <Route path="/login" element={<LoginPage />} />
            <Route element={<SignedIn />}>
              <Route index element={<Navigate to="/alerts" replace />} />
              <Route path="alerts/:id?" element={<AlertsBoard />} />
              <Route
                path="residents"
                element={
                  <RequireKind kind="resident">
                    <ResidentsPage />
                  </RequireKind>
                }
              />
              <Route
                path="residents/:id"
                element={
                  <RequireKind kind="resident">
                    <ResidentDetailPage />
                  </RequireKind>
                }
              />
              <Route
                path="elevators"
                element={
                  <RequireKind kind="elevator">
                    <ElevatorBoard />
                  </RequireKind>
                }
              />
              <Route
                path="elevators/:id"
                element={
                  <RequireKind kind="elevator">
                    <ElevatorDetailPage />
                  </RequireKind>
                }
              />
              <Route path="devices" element={<DevicesPage />} />
              <Route path="*" element={<NotFound />} />
            </Route>
          </Routes>
        </BrowserRouter>
      </AuthProvider>
    </Localised>
  );
}
