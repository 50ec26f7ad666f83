import { Link } from 'react-router';
import { PageHeader } from '@/components/page-header';

export function NotFoundRoute() {
  return (
    <>
      <PageHeader title="Page not found" documentTitle="Not found" />
      <p>
        There is no page here. <Link to="/">Go to the overview</Link>.
      </p>
    </>
  );
}
