// The end of a run: one server process (replica 0, the only one by default) restarted with
// SIGTERM on the same database, every agent back with nothing acknowledged lost, then what
// the database holds checked against what the agents made.
import { performance } from 'node:perf_hooks';
import { tsImport } from 'tsx/esm/api';
import { liveClient } from './probes.mjs';

// "Even" as the servers themselves judge it.
const { evenTolerance } = await tsImport('../../apps/server/src/routes/agent/rebalance.ts', import.meta.url);

/** The JSON of a GET, or null when the server refuses it or cannot be reached (the checks report that). */
const get = async (baseUrl, apiKey, path) => {
  try {
    const res = await fetch(`${baseUrl}${path}`, { headers: { Authorization: `Bearer ${apiKey}` } });
    return res.ok ? await res.json() : null;
  } catch {
    return null;
  }
};

/** The ids of every host the API lists as offline, a page at a time; null when a request fails. */
async function offlineHosts(baseUrl, apiKey) {
  const ids = [];
  for (;;) {
    const page = await get(baseUrl, apiKey, `/api/v1/hosts?online=false&limit=1000&offset=${ids.length}`);
    if (!page) return null;
    ids.push(...page.items.map((h) => h.id));
    if (page.items.length < 1000) return ids;
  }
}

const BALANCE_TIMEOUT_MS = 180_000;

/** When every agent is connected and no replica holds more than its fair share and the tolerance; null after `timeoutMs`. */
async function waitBalanced(stats, N, R, timeoutMs) {
  const deadline = performance.now() + timeoutMs;
  const fair = Math.ceil(N / R);
  const over = evenTolerance(fair);
  for (;;) {
    if (stats.connectedNow === N && Math.max(...stats.connectedBy) <= fair + over) return performance.now();
    if (performance.now() > deadline) return null;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Restarts replica 0. With one process every agent waits for it, and recovery counts from its
 * first answer; with replicas its agents fail over to the next one meanwhile, as behind a load
 * balancer, and recovery counts from the SIGTERM. Returns the live client, opened again if it
 * was on the restarted process.
 */
export async function restartReplica({ servers, fleet, report, live, liveAt, WebSocket, apiKey, timeoutMs, log }) {
  const R = servers.length;
  const N = fleet.agentCount;
  const stats = fleet.stats;
  const server = servers[0];
  const before = [...stats.connectedBy];
  const phase = (name) => servers.forEach((s) => s.phase(name));
  if (liveAt === 0) live.terminate();
  log(R === 1 ? 'restarting the server (SIGTERM)' : `restarting replica 0 (SIGTERM); its ${before[0]} agents fail over to replica 1`);
  const t = performance.now();
  phase('shutdown');
  await server.stop('SIGTERM');
  phase('restart');
  const downS = (performance.now() - t) / 1000;
  const starting = server.start().then(
    (seconds) => ({ seconds, at: performance.now() }),
    (err) => ({ err }),
  );
  if (R > 1) {
    await fleet.waitLeft(0, 10_000);
  } else {
    const started = await starting;
    if (started.err) throw started.err;
  }
  if (liveAt === 0) live = await liveClient(WebSocket, servers[liveAt].url, apiKey, () => undefined);
  const back = await fleet.waitSettled(timeoutMs);
  const backAt = performance.now();
  const started = await starting;
  if (started.err) throw started.err;
  const from = R === 1 ? started.at : t;
  const recoveryS = (backAt - from) / 1000;
  const upAfterS = (started.at - t) / 1000;
  log(
    R === 1
      ? `${back}/${N} agents back ${recoveryS.toFixed(1)}s after the server answered again`
      : `${back}/${N} agents back ${recoveryS.toFixed(1)}s after the SIGTERM; replica 0 answered again after ${upAfterS.toFixed(1)}s; agents per replica ${stats.connectedBy.join(' / ')}`,
  );
  const timing = `shutdown took ${downS.toFixed(1)} s, startup ${started.seconds.toFixed(1)} s`;
  report.add('fleet_restart_recovery_seconds', recoveryS, 's', '<= 60', {
    ok: back === N && recoveryS <= 60,
    note:
      R === 1
        ? `${back}/${N} agents reconnected with every spooled message acknowledged; ${timing}; agents back off 1 s doubling, full jitter (target is the bench's own: DESIGN sets none)`
        : `from the SIGTERM to replica 0 until ${back}/${N} agents were connected with every spooled message acknowledged, its ${before[0]} agents having failed over to the next replica (agents back off 1 s doubling, full jitter, and try the next replica's URL after a failed or closed connection); replica 0: ${timing}, answering again ${upAfterS.toFixed(1)} s after the SIGTERM (target is the bench's own: DESIGN sets none)`,
  });
  report.add('fleet_restart_lost_messages', stats.lostMessages, 'messages', '<= 0', {
    note: `acknowledged before the restart but not held by the server after it (${stats.lostAgents.size} agents); ${N - back} agents not back (their spools are still held, nothing dropped)`,
  });
  report.add('fleet_restart_agents', stats.connectedNow, 'agents', `>= ${N}`, {
    note: `agents connected once every agent was back (or the time limit of ${timeoutMs / 1000} s ran out)${R > 1 ? `; per replica ${stats.connectedBy.join(' / ')}, before the restart ${before.join(' / ')}` : ''}`,
  });
  report.perReplica('fleet_restart_agents', R, 'agents', null, (i) => ({
    value: stats.connectedBy[i],
    note: `agents on replica ${i} once every agent was back after the restart of replica 0 (before it: ${before[i]}); established connections stay where they are until a replica above its fair share asks some to move`,
  }));
  if (R > 1) {
    // The replicas even out their agents (apps/server/src/routes/agent/rebalance.ts): how long
    // from the restarted replica's first answer until none holds more than its fair share.
    const balancedAt = await waitBalanced(stats, N, R, BALANCE_TIMEOUT_MS);
    const balancedS = balancedAt === null ? -1 : (balancedAt - started.at) / 1000;
    log(
      `agents per replica ${stats.connectedBy.join(' / ')} ${balancedAt === null ? `still uneven after ${BALANCE_TIMEOUT_MS / 1000} s` : `${balancedS.toFixed(1)} s after replica 0 answered again`}`,
    );
    report.add('fleet_restart_balanced_seconds', balancedS, 's', null, {
      ok: balancedAt !== null,
      note: `from replica 0's first answer after its restart until every replica held at most its fair share of the ${N} agents and the tolerance (10 agents or 5%); replicas compare every 10 s and move at most a tenth of their agents at a time; per replica then ${stats.connectedBy.join(' / ')} (-1: not within ${BALANCE_TIMEOUT_MS / 1000} s)`,
    });
    report.perReplica('fleet_balanced_agents', R, 'agents', null, (i) => ({
      value: stats.connectedBy[i],
      note: `agents on replica ${i} once the replicas had evened out after the restart`,
    }));
  }
  // Each replica marks the hosts it held offline as it stops, before their agents can reach
  // another one. Online means connected and heard from within 90 s: a host listed offline
  // while its agent is connected and was answered in the last 80 s means a replica got that
  // order wrong. (Agents do not send during the ramp: after a long one, some are silent longer.)
  // The listing takes a while at 20,000 hosts: an agent counts as connected only if it was,
  // on the same connection, both before and after it was read.
  const byHost = async () => new Map((await fleet.agentStates()).map((a) => [a.hostId, a]));
  const statesBefore = await byHost();
  const offline = await offlineHosts(servers[liveAt].url, apiKey);
  const statesAfter = await byHost();
  const state = (id) => {
    const [a, b] = [statesBefore.get(id), statesAfter.get(id)];
    if (!a?.ready || !b?.ready || a.welcomes !== b.welcomes) return 'disconnected';
    return b.heardAgoMs < 80_000 ? 'heard' : 'silent';
  };
  const listed = (kind) => offline?.filter((id) => state(id) === kind).length ?? -1;
  report.add('fleet_restart_hosts_shown_offline', listed('heard'), 'hosts', '<= 0', {
    ok: offline !== null && listed('heard') === 0,
    note: offline
      ? `hosts the API lists as offline although their agent is connected and was answered within 80 s; listed offline: ${offline.length}, of them ${listed('disconnected')} with their agent not connected (or connected again while the list was read) and ${listed('silent')} connected but silent for over 80 s`
      : 'GET /api/v1/hosts?online=false failed',
  });
  return live;
}

/**
 * The stored change rows of the 40 most-changed settled hosts against what their agents
 * changed (read through the replicas in turn: they share the database).
 */
export async function checkStored({ servers, fleet, report, apiKey }) {
  const N = fleet.agentCount;
  await fleet.stopTicking();
  await fleet.waitSettled(30_000);
  // Only agents with nothing in flight: an unacknowledged change is in the spool, not lost.
  const sample = (await fleet.agentStates())
    .filter((a) => a.settled)
    .sort((a, b) => b.changes - a.changes)
    .slice(0, 40);
  let mismatched = 0;
  let rows = 0;
  for (const [i, a] of sample.entries()) {
    const page = await get(servers[i % servers.length].url, apiKey, `/api/v1/hosts/${a.hostId}/changes?limit=1`);
    const total = page ? page.total : -1;
    rows += Math.max(0, total);
    if (total !== a.expectedRows) mismatched++;
  }
  report.add('fleet_change_rows_mismatched', mismatched, 'hosts', '<= 0', {
    note: `${sample.length} most-changed settled hosts (${fleet.settledCount}/${N} settled): stored change rows (${rows}) against the changes their agents made; a mismatch means a change lost or stored twice`,
  });
}
