import type { ObserverStatus } from '../../common/events/observer-events.ts';
import type { EvaluationView, RoundDetailView, RoundSummaryView, RunView } from '../../server/http/round-views.ts';

/**
 * The HTTP API as the dashboard reads it: the same routes and JSON shapes as
 * any other client (README, HTTP API), typed from the server's view types.
 * Every request carries the dashboard token when the page has one.
 */
export type { EvaluationView, RoundDetailView, RoundSummaryView, RunView };

export interface RoundList {
  readonly runId: string;
  readonly initialEvaluations: readonly EvaluationView[];
  readonly rounds: readonly RoundSummaryView[];
}

/** An error answer of the API, with its typed code. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class DashboardApi {
  constructor(private token: string | null) {}

  setToken(token: string | null): void {
    this.token = token;
  }

  runs(): Promise<{ runs: RunView[] }> {
    return this.get('/api/runs');
  }

  rounds(runId: string): Promise<RoundList> {
    return this.get(`/api/rounds?run=${encodeURIComponent(runId)}`);
  }

  round(runId: string, round: number): Promise<RoundDetailView> {
    return this.get(`/api/rounds/${round}?run=${encodeURIComponent(runId)}`);
  }

  observer(): Promise<ObserverStatus> {
    return this.get('/api/observer');
  }

  private async get<T>(path: string): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.token !== null) headers['authorization'] = `Bearer ${this.token}`;
    const res = await fetch(path, { headers, cache: 'no-store' });
    const body: unknown = await res.json().catch(() => null);
    if (!res.ok) {
      const error = (body as { error?: { code?: string; message?: string } } | null)?.error;
      throw new ApiFailure(res.status, error?.code ?? 'internal', error?.message ?? `${path} answered ${res.status}`);
    }
    return body as T;
  }
}

/** Where a round's model can be downloaded (TF.js Layers format; weights.bin sits next to it). */
export function modelUrl(runId: string, round: number, file: 'model.json' | 'weights.bin'): string {
  return `/api/rounds/${round}/model/${file}?run=${encodeURIComponent(runId)}`;
}
