import { isRouteErrorResponse, Link, useRouteError } from 'react-router';

export function RouteError() {
  const error = useRouteError();
  const message = isRouteErrorResponse(error)
    ? `${error.status} ${error.statusText}`
    : error instanceof Error
      ? error.message
      : 'Unknown error';
  return (
    <div className="state state-error page-error" role="alert">
      <title>Error · Plumbline</title>
      <p className="state-title">This page failed to load</p>
      <p className="state-body mono">{message}</p>
      <p>
        <button type="button" className="btn" onClick={() => window.location.reload()}>
          Reload
        </button>{' '}
        <Link to="/">Go to the overview</Link>
      </p>
    </div>
  );
}
