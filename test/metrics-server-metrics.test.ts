import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { isFedfuseError } from '../common/errors/index.ts';
import { METRIC_NAMES, createServerMetrics } from '../server/metrics/index.ts';

/** The value of one sample line (`name{labels} value`) in Prometheus text, or undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

test('every fedfuse metric is declared, with zero-valued outcome series, before any event', async () => {
  const metrics = createServerMetrics();
  const text = await metrics.registry.metrics();
  for (const name of Object.values(METRIC_NAMES)) assert.match(text, new RegExp(`^# TYPE ${name} `, 'm'), name);
  assert.equal(sample(text, 'fedfuse_rounds_total{outcome="done"}'), 0);
  assert.equal(sample(text, 'fedfuse_rounds_total{outcome="failed"}'), 0);
  assert.equal(sample(text, 'fedfuse_uploads_total{result="accepted",code="ok"}'), 0);
  assert.equal(sample(text, 'fedfuse_uploads_total{result="rejected",code="too_large"}'), 0);
});

test('default process metrics are collected on the same registry', async () => {
  const metrics = createServerMetrics();
  const text = await metrics.registry.metrics();
  assert.match(text, /^process_cpu_user_seconds_total /m);
  assert.match(text, /^nodejs_heap_size_used_bytes /m);
});

test('recorded events appear in the Prometheus text output with their values', async () => {
  const metrics = createServerMetrics();
  metrics.roundCompleted(12.5, 'done');
  metrics.roundCompleted(3, 'done');
  metrics.roundCompleted(700, 'failed');
  metrics.uploadAccepted(1000);
  metrics.uploadAccepted(234);
  metrics.uploadRejected('shape_mismatch');
  metrics.uploadRejected('shape_mismatch');
  metrics.uploadRejected('unauthenticated');
  metrics.fusionTook('kf-linear', 4.2);
  metrics.fusionTook('mean', 0.02);
  metrics.broadcast(5000);
  metrics.broadcast(5000);
  metrics.setConnectedClients(7);
  metrics.setConnectedClients(5);
  metrics.setCurrentRound(3);

  const text = await metrics.registry.metrics();
  assert.equal(sample(text, 'fedfuse_rounds_total{outcome="done"}'), 2);
  assert.equal(sample(text, 'fedfuse_rounds_total{outcome="failed"}'), 1);
  assert.equal(sample(text, 'fedfuse_uploads_total{result="accepted",code="ok"}'), 2);
  assert.equal(sample(text, 'fedfuse_uploads_total{result="rejected",code="shape_mismatch"}'), 2);
  assert.equal(sample(text, 'fedfuse_uploads_total{result="rejected",code="unauthenticated"}'), 1);
  assert.equal(sample(text, 'fedfuse_uploads_total{result="rejected",code="non_finite"}'), 0);
  assert.equal(sample(text, 'fedfuse_upload_bytes_total'), 1234);
  assert.equal(sample(text, 'fedfuse_broadcast_bytes_total'), 10000);
  assert.equal(sample(text, 'fedfuse_connected_clients'), 5);
  assert.equal(sample(text, 'fedfuse_current_round'), 3);

  assert.equal(sample(text, 'fedfuse_round_seconds_count'), 3);
  assert.equal(sample(text, 'fedfuse_round_seconds_sum'), 715.5);
  assert.equal(sample(text, 'fedfuse_round_seconds_bucket{le="10"}'), 1);
  assert.equal(sample(text, 'fedfuse_round_seconds_bucket{le="30"}'), 2);
  assert.equal(sample(text, 'fedfuse_round_seconds_bucket{le="+Inf"}'), 3);
  assert.equal(sample(text, 'fedfuse_fusion_seconds_count{aggregator="kf-linear"}'), 1);
  assert.equal(sample(text, 'fedfuse_fusion_seconds_sum{aggregator="kf-linear"}'), 4.2);
  assert.equal(sample(text, 'fedfuse_fusion_seconds_bucket{le="5",aggregator="kf-linear"}'), 1);
  assert.equal(sample(text, 'fedfuse_fusion_seconds_bucket{le="2.5",aggregator="kf-linear"}'), 0);
  assert.equal(sample(text, 'fedfuse_fusion_seconds_count{aggregator="mean"}'), 1);
});

test('a registry passed in receives the metrics; two instances on separate registries do not interfere', async () => {
  const registry = new Registry();
  const a = createServerMetrics(registry);
  const b = createServerMetrics();
  assert.equal(a.registry, registry);
  a.uploadAccepted(10);
  b.uploadAccepted(99);
  assert.equal(sample(await registry.metrics(), 'fedfuse_upload_bytes_total'), 10);
  assert.equal(sample(await b.registry.metrics(), 'fedfuse_upload_bytes_total'), 99);
});

test('creating the metrics twice on one registry throws instead of silently sharing them', () => {
  const registry = new Registry();
  createServerMetrics(registry);
  assert.throws(() => createServerMetrics(registry));
});

test('negative, NaN and infinite amounts are refused with invalid_argument and change nothing', async () => {
  const metrics = createServerMetrics();
  const isInvalidArgument = (e: unknown): boolean => isFedfuseError(e, 'invalid_argument');
  assert.throws(() => metrics.uploadAccepted(-1), isInvalidArgument);
  assert.throws(() => metrics.broadcast(Number.NaN), isInvalidArgument);
  assert.throws(() => metrics.fusionTook('mean', Number.POSITIVE_INFINITY), isInvalidArgument);
  assert.throws(() => metrics.roundCompleted(-2, 'done'), isInvalidArgument);
  assert.throws(() => metrics.setConnectedClients(-1), isInvalidArgument);
  // @ts-expect-error: an outcome outside the label set, as untyped callers could pass
  assert.throws(() => metrics.roundCompleted(1, 'maybe'), isInvalidArgument);
  // @ts-expect-error: a code that is not a FedfuseError code
  assert.throws(() => metrics.uploadRejected('oops'), isInvalidArgument);
  const text = await metrics.registry.metrics();
  assert.equal(sample(text, 'fedfuse_upload_bytes_total'), 0);
  assert.equal(sample(text, 'fedfuse_uploads_total{result="accepted",code="ok"}'), 0);
  assert.equal(sample(text, 'fedfuse_rounds_total{outcome="done"}'), 0);
  assert.equal(sample(text, 'fedfuse_round_seconds_count'), 0);
  assert.doesNotMatch(text, /code="oops"/);
});
