import { useQuery } from '@tanstack/react-query';
import { PageHeader } from '@/components/page-header';
import { Section } from '@/components/section';
import { groupChoices } from '@/components/group-field';
import { useSession } from '@/features/auth/api/get-session';
import { ChangePasswordForm } from '@/features/auth/components/change-password-form';
import { useGroups } from '@/features/groups/api/get-groups';
import { GroupsPanel } from '@/features/groups/components/groups-panel';
import { rulesQueryOptions } from '@/features/rules/api/get-rules';
import { ApiKeyForm } from '@/features/settings/components/api-key-form';
import { ApiKeyList, EnrollmentTokenList } from '@/features/settings/components/credential-lists';
import { EnrollmentForm } from '@/features/settings/components/enrollment-form';
import { UserForm } from '@/features/settings/components/user-form';
import { UserList } from '@/features/settings/components/user-list';
import { ScheduleForm } from '@/features/report-schedules/components/schedule-form';
import { SigningKeyPanel } from '@/features/reports/components/signing-key-panel';
import { ScheduleList } from '@/features/report-schedules/components/schedule-list';
import { WebhookForm } from '@/features/webhooks/components/webhook-form';
import { WebhookList } from '@/features/webhooks/components/webhook-list';

export function SettingsRoute() {
  const session = useSession();
  const role = session.data?.user.role;
  const canOperate = role === 'admin' || role === 'operator';
  const groups = groupChoices(useGroups());
  // The tailoring editor suggests rule ids; only editors need the catalogue.
  const rules = useQuery({ ...rulesQueryOptions({ q: '', limit: 1000, offset: 0, sort: 'id' }), enabled: canOperate });
  const ruleOptions = canOperate && rules.data ? rules.data.items.map((r) => ({ id: r.id, title: r.title })) : [];
  return (
    <>
      <PageHeader title="Settings" documentTitle="Settings" />
      {role === 'admin' || role === 'operator' ? (
        <Section title="Enroll hosts">
          <p className="muted">
            Create a token, then run the install command on each host as root. The agent installs itself as a systemd service and appears in
            the hosts list when it connects.
          </p>
          <EnrollmentForm groups={groups} />
          <div className="subsection">
            <h3>Enrollment tokens</h3>
            <EnrollmentTokenList />
          </div>
        </Section>
      ) : null}
      <Section title="Groups" meta="profile, tailoring and listening-port allow-list">
        <GroupsPanel canEdit={canOperate} rules={ruleOptions} />
      </Section>
      {role === 'admin' ? (
        <>
          <Section title="Users">
            <UserForm />
            <div className="subsection">
              <h3>Existing users</h3>
              <UserList selfId={session.data?.user.id} />
            </div>
          </Section>
          <Section title="API keys">
            <ApiKeyForm />
            <div className="subsection">
              <h3>Existing keys</h3>
              <ApiKeyList />
            </div>
          </Section>
        </>
      ) : (
        <p className="muted">Users and API keys are managed by an admin.</p>
      )}
      <Section title="Webhooks" meta="drift to a SIEM or chat, signed with HMAC-SHA256">
        {role === 'admin' ? <WebhookForm /> : null}
        <div className="subsection">
          <h3>Existing webhooks</h3>
          <WebhookList canEdit={role === 'admin'} />
        </div>
      </Section>
      <Section title="Scheduled reports" meta="signed, to a directory or a URL">
        {role === 'admin' ? <ScheduleForm /> : null}
        <div className="subsection">
          <h3>Schedules</h3>
          <ScheduleList canEdit={role === 'admin'} />
        </div>
      </Section>
      <Section title="Your password" meta={session.data?.user.email}>
        <ChangePasswordForm />
      </Section>
      <Section title="Report signing key" meta="Ed25519: signs reports and audit checkpoints">
        <SigningKeyPanel />
      </Section>
    </>
  );
}
