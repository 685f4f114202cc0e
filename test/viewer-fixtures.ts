import { computeLocalUpdate } from '../client/index.ts';
import type { ClientUpdate, RoundTask } from '../common/wire/index.ts';
import { smallMnistSplit, startClient, startTestServer } from './rounds-fixtures.ts';
import { scaled } from './screening-fixtures.ts';

/** A client that trains honestly, then uploads its weights x100: screening leaves it out of every round. */
function scaledBy100(index: number): (task: RoundTask) => Promise<ClientUpdate> {
  const data = smallMnistSplit().clients[index]!;
  return async (task) => {
    const update = await computeLocalUpdate(task, `client-${index}`, { images: data.images, labels: data.labels, count: data.count }, index);
    return { ...update, model: scaled(update.model, 100) };
  };
}

/**
 * A database holding one more finished run, written by a real server and
 * closed: `rounds` rounds of client-0 (and, with `screenedOut`, client-1 and
 * a client-2 whose x100 updates are screened out).
 */
export async function finishedRunDatabase(dir: string, options: { rounds?: number; screenedOut?: boolean } = {}): Promise<{ dbPath: string; runId: string }> {
  const screenedOut = options.screenedOut ?? false;
  const t = await startTestServer({ rounds: options.rounds ?? 2, minClients: screenedOut ? 3 : 1 }, { dashboard: { access: 'on', demo: null } }, dir);
  const clients = [await startClient(t.url, 0)];
  if (screenedOut) clients.push(await startClient(t.url, 1), await startClient(t.url, 2, { train: scaledBy100(2) }));
  try {
    await t.waitFor((e) => e.type === 'runFinished', 200_000);
    return { dbPath: t.dbPath, runId: t.server.orchestrator.liveStatus().runId! };
  } finally {
    for (const c of clients) c.client.close();
    await t.close();
  }
}
