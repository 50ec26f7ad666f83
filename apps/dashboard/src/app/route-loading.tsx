import { LoadingState } from '@/components/states';

/** Shown while the first route's code chunk loads. */
export function RouteLoading() {
  return (
    <div className="centered">
      <LoadingState />
    </div>
  );
}
