import { createBrowserRouter, Navigate } from 'react-router';
import { AppShell } from './app-shell';
import { RouteError } from './route-error';
import { RouteLoading } from './route-loading';

// Pages are split into their own chunks; the shell and the data layer load first.
export const router = createBrowserRouter([
  {
    path: '/login',
    errorElement: <RouteError />,
    hydrateFallbackElement: <RouteLoading />,
    lazy: () => import('./routes/login').then((m) => ({ Component: m.LoginRoute })),
  },
  {
    path: '/',
    element: <AppShell />,
    errorElement: <RouteError />,
    hydrateFallbackElement: <RouteLoading />,
    children: [
      {
        errorElement: <RouteError />,
        children: [
          { index: true, lazy: () => import('./routes/overview').then((m) => ({ Component: m.OverviewRoute })) },
          { path: 'hosts', lazy: () => import('./routes/hosts').then((m) => ({ Component: m.HostsRoute })) },
          { path: 'hosts/:hostId', lazy: () => import('./routes/host').then((m) => ({ Component: m.HostRoute })) },
          { path: 'vulnerabilities', lazy: () => import('./routes/vulnerabilities').then((m) => ({ Component: m.VulnerabilitiesRoute })) },
          { path: 'drift', lazy: () => import('./routes/drift').then((m) => ({ Component: m.DriftRoute })) },
          { path: 'waivers', lazy: () => import('./routes/waivers').then((m) => ({ Component: m.WaiversRoute })) },
          // The page's old address: shared links keep working.
          { path: 'exceptions', element: <Navigate to="/waivers" replace /> },
          { path: 'rules', lazy: () => import('./routes/rules').then((m) => ({ Component: m.RulesRoute })) },
          { path: 'rules/:ruleId', lazy: () => import('./routes/rule').then((m) => ({ Component: m.RuleRoute })) },
          { path: 'reports', lazy: () => import('./routes/reports').then((m) => ({ Component: m.ReportsRoute })) },
          { path: 'audit', lazy: () => import('./routes/audit').then((m) => ({ Component: m.AuditRoute })) },
          { path: 'settings', lazy: () => import('./routes/settings').then((m) => ({ Component: m.SettingsRoute })) },
          { path: '*', lazy: () => import('./routes/not-found').then((m) => ({ Component: m.NotFoundRoute })) },
        ],
      },
    ],
  },
]);
