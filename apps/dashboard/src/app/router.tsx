import { createBrowserRouter } from 'react-router';
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
          { path: '*', lazy: () => import('./routes/not-found').then((m) => ({ Component: m.NotFoundRoute })) },
        ],
      },
    ],
  },
]);
