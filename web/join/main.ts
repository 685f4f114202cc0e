import { computeLocalUpdate } from '../../client/local-update.ts';
import { FedfuseClient, type ClientEvent } from '../../client/fedfuse-client.ts';
import { clientIdFromToken } from '../../client/token-client-id.ts';
import { isFedfuseError } from '../../common/errors/index.ts';
import type { Dataset } from '../../common/data/dataset.ts';
import { initBrowserBackend, type BrowserBackendPreference } from './browser-backend.ts';
import { datasetFromNpyFiles, datasetFromPngFolder, demoDataset, type JoinInfo } from './data-sources.ts';

/**
 * The browser client: this tab becomes a federated client with the same SDK
 * as `fedfuse client` (FedfuseClient, computeLocalUpdate: socket.io,
 * protobuf envelopes, local training, attribution, uploads kept until
 * acknowledged), on data the person picks. Only the trained weights and the
 * attribution summary leave the tab.
 */
const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

let client: FedfuseClient | null = null;
let acked = 0;
let roundStartedAt = 0;

function status(text: string, kind: 'info' | 'error' | 'done' = 'info'): void {
  const node = $('join-status');
  node.textContent = text;
  node.dataset['kind'] = kind;
}

function log(text: string): void {
  const li = document.createElement('li');
  li.textContent = `${new Date().toLocaleTimeString([], { hour12: false })} ${text}`;
  const list = $('client-log');
  list.prepend(li);
  while (list.children.length > 200) list.lastElementChild?.remove();
}

function set(id: string, text: string, value?: number | string): void {
  const node = $(id);
  node.textContent = text;
  if (value !== undefined) node.dataset['value'] = String(value);
}

function selectedSource(): string {
  return document.querySelector<HTMLInputElement>('input[name="source"]:checked')?.value ?? 'demo';
}

for (const radio of document.querySelectorAll<HTMLInputElement>('input[name="source"]')) {
  radio.addEventListener('change', () => {
    for (const source of ['demo', 'npy', 'png']) $(`source-${source}`).hidden = source !== selectedSource();
  });
}

async function joinInfo(): Promise<JoinInfo> {
  const res = await fetch('/api/join/info', { cache: 'no-store' });
  const body = (await res.json().catch(() => null)) as (JoinInfo & { error?: { message?: string } }) | null;
  if (!res.ok || body === null) throw new Error(body?.error?.message ?? `the server answered ${res.status}`);
  return body;
}

async function loadData(info: JoinInfo): Promise<Dataset> {
  switch (selectedSource()) {
    case 'npy': {
      const images = $<HTMLInputElement>('npy-images').files?.[0];
      const labels = $<HTMLInputElement>('npy-labels').files?.[0];
      if (images === undefined || labels === undefined) throw new Error('pick both images.npy and labels.npy');
      return datasetFromNpyFiles(images, labels);
    }
    case 'png': {
      const files = [...($<HTMLInputElement>('png-folder').files ?? [])];
      const labels = $<HTMLInputElement>('png-labels').files?.[0];
      if (files.length === 0 || labels === undefined) throw new Error('pick a folder of PNG images and its labels CSV');
      return datasetFromPngFolder(files, labels, info);
    }
    default: {
      if (!info.demo.available) throw new Error(info.demo.reason ?? 'this server offers no demo data');
      return demoDataset({
        index: Number($<HTMLInputElement>('demo-index').value),
        of: Number($<HTMLInputElement>('demo-of').value),
        partition: $<HTMLSelectElement>('demo-partition').value,
        samples: Number($<HTMLInputElement>('demo-samples').value),
      });
    }
  }
}

function describe(e: ClientEvent): string | null {
  switch (e.type) {
    case 'connected':
      return 'connected';
    case 'welcome':
      return `joined run ${e.runId} at round ${e.currentRound}${e.runFinished ? ' (finished)' : ''}`;
    case 'task':
      return `round ${e.round}: training`;
    case 'trained':
      return `round ${e.round}: trained (loss ${e.update.metrics.loss.toFixed(4)}, ${e.update.metrics.trainSeconds.toFixed(1)} s), uploading`;
    case 'uploaded':
      return `round ${e.round}: upload acknowledged (${e.message})`;
    case 'uploadRefused':
      return `round ${e.round}: upload refused (${e.code}): ${e.message}`;
    case 'globalModel':
      return `global model of round ${e.round}${e.final ? ' (final)' : ''}`;
    case 'disconnected':
      return `disconnected (${e.reason})`;
    case 'refused':
      return `refused (${e.code}): ${e.message}`;
    case 'error':
      return `error: ${e.message}`;
  }
}

function onClientEvent(e: ClientEvent): void {
  const line = describe(e);
  if (line !== null) log(line);
  switch (e.type) {
    case 'welcome':
      status(e.runFinished ? 'The run is over.' : `Joined run ${e.runId}; waiting for a round.`, e.runFinished ? 'done' : 'info');
      break;
    case 'task':
      roundStartedAt = performance.now();
      set('client-round', String(e.round), e.round);
      set('client-epoch', '–');
      status(`Round ${e.round}: training.`);
      break;
    case 'trained':
      status(`Round ${e.round}: uploading.`);
      break;
    case 'uploaded':
      acked++;
      set('uploads-acked', String(acked), acked);
      set('round-seconds', `${((performance.now() - roundStartedAt) / 1000).toFixed(2)} s`, (performance.now() - roundStartedAt) / 1000);
      status(`Round ${e.round}: upload acknowledged; waiting for the next round.`);
      break;
    case 'uploadRefused':
      status(`Round ${e.round}: the server refused the upload (${e.code}): ${e.message}`, 'error');
      break;
    case 'refused':
      status(`The server refused this client (${e.code}): ${e.message}`, 'error');
      break;
    case 'globalModel':
      if (e.final) {
        status(`The run is over (final model of round ${e.round}).`, 'done');
        client?.close();
      }
      break;
    default:
      break;
  }
}

async function join(): Promise<void> {
  const token = $<HTMLTextAreaElement>('token').value.trim();
  let clientId: string;
  try {
    clientId = clientIdFromToken(token);
  } catch (e) {
    status(e instanceof Error ? e.message : String(e), 'error');
    return;
  }
  $<HTMLButtonElement>('join-button').disabled = true;
  try {
    set('client-id', clientId);
    status('Starting TF.js…');
    const backend = await initBrowserBackend($<HTMLSelectElement>('backend').value as BrowserBackendPreference);
    set('backend-name', backend.name, backend.name);
    if (backend.failures.length > 0) log(`backend ${backend.name} (${backend.failures.join('; ')})`);
    status('Reading the data…');
    const info = await joinInfo();
    const data = await loadData(info);
    set('sample-count', String(data.count), data.count);
    log(`${data.count} local samples from ${data.name}`);
    const seed = 0;
    client = new FedfuseClient(location.origin, token, {
      clientId,
      data,
      seed,
      softwareVersion: `fedfuse-browser (${backend.name})`,
      labelHistogram: null,
      onEvent: onClientEvent,
      train: (task) =>
        computeLocalUpdate(task, clientId, data, seed, {
          onEpochEnd: (epoch, epochs, m) => {
            set('client-epoch', `${epoch + 1} of ${epochs}`, epoch + 1);
            set('client-loss', m.loss.toFixed(4), m.loss);
          },
          onAttribution: () => status(`Round ${task.round}: scoring neurons (attribution).`),
        }),
    });
    status('Connecting…');
    await client.connect();
  } catch (e) {
    status(isFedfuseError(e) ? `Could not join (${e.code}): ${e.message}` : e instanceof Error ? e.message : String(e), 'error');
    client?.close();
    client = null;
    $<HTMLButtonElement>('join-button').disabled = false;
  }
}

$('join-form').addEventListener('submit', (event) => {
  event.preventDefault();
  void join();
});
