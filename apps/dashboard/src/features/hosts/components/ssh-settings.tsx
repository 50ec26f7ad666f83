import type { SshdConfigFact, SshdSetting } from '@plumbline/protocol/facts';
import { column, DataTable, type Column } from '@/components/data-table';
import { EmptyState } from '@/components/states';
import { Section } from '@/components/section';

function isSshdConfig(value: unknown): value is SshdConfigFact {
  return typeof value === 'object' && value !== null && 'settings' in value;
}

/** Settings in the order sshd reads them: by file (main first, Includes in order), then line. */
function ordered(settings: Record<string, SshdSetting>, files: string[]): SshdSetting[] {
  const fileIndex = (f?: string) => (f === undefined ? Number.MAX_SAFE_INTEGER : files.indexOf(f) + 1 || files.length + 1);
  return Object.values(settings).sort(
    (a, b) => fileIndex(a.file) - fileIndex(b.file) || (a.line ?? 0) - (b.line ?? 0) || a.keyword.localeCompare(b.keyword),
  );
}

function Location({ file, line }: { file?: string | undefined; line?: number | undefined }) {
  if (!file) return <span className="muted">default</span>;
  return <>{line ? `${file}:${line}` : file}</>;
}

const columns: Column<SshdSetting>[] = [
  column('Keyword', (s) => s.keyword, { rowHeader: true, className: 'mono cell-key' }),
  column('Value', (s) => (s.values && s.values.length > 1 ? s.values.map((v, i) => <div key={`${i}-${v}`}>{v}</div>) : s.value), {
    className: 'mono cell-value',
  }),
  column('File:line', (s) => <Location file={s.file} line={s.line} />, { className: 'mono muted-strong' }),
];

function SettingsTable({ settings, caption }: { settings: SshdSetting[]; caption: string }) {
  return <DataTable items={settings} columns={columns} caption={caption} rowKey={(s) => s.keyword.toLowerCase()} />;
}

export function SshSettings({ config, error }: { config: unknown; error: boolean }) {
  if (!isSshdConfig(config)) {
    return (
      <Section title="SSH server settings">
        <EmptyState title={error ? 'The SSH server configuration could not be collected' : 'No SSH server configuration reported'} />
      </Section>
    );
  }
  const settings = ordered(config.settings, config.files);
  return (
    <Section title="SSH server settings" meta={`${config.source === 'sshd -T' ? 'sshd -T' : 'parsed from'} ${config.main_file}`}>
      {config.warnings.length > 0 ? (
        <div className="callout callout-warning">
          <ul className="callout-list">
            {config.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {settings.length === 0 ? (
        <EmptyState title="No settings: sshd uses its built-in defaults" />
      ) : (
        <SettingsTable settings={settings} caption="Effective global SSH server settings" />
      )}
      {config.match_blocks.map((block) => (
        <div className="subsection" key={`${block.file}:${block.line}`}>
          <h3>
            <span className="mono">Match {block.criteria}</span>{' '}
            <span className="muted small mono">
              {block.file}:{block.line}
            </span>
          </h3>
          <SettingsTable settings={ordered(block.settings, config.files)} caption={`Settings for Match ${block.criteria}`} />
        </div>
      ))}
    </Section>
  );
}
