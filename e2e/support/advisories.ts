import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { REPO_ROOT } from './processes';

/**
 * Advisory data for the seeded fleet, in the feeds' own formats: a Debian Security Tracker
 * extract naming packages the fixture's bookworm hosts really have (mosquitto listening on the
 * edge gateway, openssh-server, sudo, libc6) and CISA's KEV catalogue with the mosquitto CVE
 * added. Returns the files, for `plumbline vulndb import` before the server starts.
 */
export async function writeAdvisoryFeeds(dir: string): Promise<string[]> {
  const advisory = (status: string, urgency: string, fixed?: string) => ({
    description: 'an advisory of the seeded fleet',
    scope: 'remote',
    releases: { bookworm: { status, repositories: {}, urgency, ...(fixed && { fixed_version: fixed }) } },
  });
  const tracker = {
    mosquitto: { 'CVE-2099-2004': advisory('resolved', 'high', '2.0.11-1.2+deb12u2') },
    'openssh-server': { 'CVE-2099-2001': advisory('resolved', 'high', '1:9.2p1-2+deb12u4') },
    sudo: { 'CVE-2099-2002': advisory('open', 'medium') },
    libc6: { 'CVE-2099-2003': advisory('resolved', 'low', '2.36-9+deb12u9') },
  };
  const kev = JSON.parse(await readFile(resolve(REPO_ROOT, 'packages/advisories/samples/kev.json'), 'utf8')) as {
    count: number;
    vulnerabilities: Record<string, unknown>[];
  };
  kev.vulnerabilities.push({ ...kev.vulnerabilities[0], cveID: 'CVE-2099-2004' });
  kev.count = kev.vulnerabilities.length;
  const files = [join(dir, 'debian-tracker.json'), join(dir, 'kev.json')];
  await writeFile(files[0]!, JSON.stringify(tracker));
  await writeFile(files[1]!, JSON.stringify(kev));
  return files;
}
