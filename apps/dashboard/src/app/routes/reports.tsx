import { useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { PageHeader } from '@/components/page-header';
import { Section } from '@/components/section';
import { groupChoices } from '@/components/group-field';
import { useGroups } from '@/features/groups/api/get-groups';
import { hostQueryOptions } from '@/features/hosts/api/get-host';
import { hostsQueryOptions } from '@/features/hosts/api/get-hosts';
import { HOST_LIST_DEFAULTS } from '@/features/hosts/utils/host-list-params';
import { useReportPublicKey } from '@/features/reports/api/get-public-key';
import { ReportForm, type HostOption } from '@/features/reports/components/report-form';
import { parseReportForm, reportFormSearch, type ReportForm as Form } from '@/features/reports/utils/report-form';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Typed host searches reach the API after a pause, not on every key. */
function useDebounced(value: string, ms: number): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return settled;
}

export function ReportsRoute() {
  const [searchParams, setSearchParams] = useSearchParams();
  // The form answers at once from local state and mirrors itself into the URL (shareable);
  // a URL changed from elsewhere (a link from a host page, back) is followed.
  const [form, setForm] = useState(() => parseReportForm(searchParams));
  const written = useRef(searchParams.toString());
  useEffect(() => {
    const current = searchParams.toString();
    if (current === written.current) return;
    written.current = current;
    setForm(parseReportForm(searchParams));
  }, [searchParams]);
  const onChange = useCallback(
    (next: Form) => {
      setForm(next);
      const search = reportFormSearch(next);
      written.current = search.toString();
      setSearchParams(search, { replace: true });
    },
    [setSearchParams],
  );

  const groups = useGroups();
  const signingKey = useReportPublicKey();
  const [hostQuery, setHostQuery] = useState('');
  const q = useDebounced(hostQuery, 250);
  const pickingHost = form.scopeKind === 'host';
  const hosts = useQuery({ ...hostsQueryOptions({ ...HOST_LIST_DEFAULTS, q, limit: 25 }), enabled: pickingHost });
  // A link from a host page names the host by id: show its name in the picker.
  const chosenId = pickingHost && UUID.test(form.scopeValue) ? form.scopeValue : '';
  const chosen = useQuery({ ...hostQueryOptions(chosenId), enabled: chosenId !== '' });

  const hostOptions = useMemo<HostOption[] | null>(() => {
    if (!hosts.data) return null;
    const options = hosts.data.items.map((h) => ({ id: h.id, label: `${h.hostname}${h.group ? ` (${h.group})` : ''}` }));
    if (chosen.data && !options.some((o) => o.id === chosen.data.id)) options.unshift({ id: chosen.data.id, label: chosen.data.hostname });
    return options;
  }, [hosts.data, chosen.data]);

  return (
    <>
      <PageHeader title="Reports" documentTitle="Reports" />
      <Section title="Export a compliance report" meta="signed with the server's Ed25519 key">
        <p className="muted">
          Reports are computed from stored history, as of any past date, for the fleet, a group, a tag or one host: the compliance verdicts,
          or the known vulnerabilities the hosts had then. Every export is signed and recorded in the audit trail.
        </p>
        {signingKey.data ? (
          <p className="small muted">
            Signing key fingerprint (SHA-256): <span className="mono">{signingKey.data.fingerprint}</span>
          </p>
        ) : null}
        <ReportForm
          form={form}
          onChange={onChange}
          groups={groupChoices(groups)}
          hosts={pickingHost ? hostOptions : []}
          onHostQuery={setHostQuery}
        />
      </Section>
    </>
  );
}
