import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { IntakeMetrics } from '../ingest/intake.ts';

export interface Metrics {
  registry: Registry;
  intake: IntakeMetrics;
  setClients(count: number): void;
}

/** Prometheus metrics for one process (default Node metrics include event-loop lag). */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });
  const accepted = new Counter({
    name: 'wenkong_petitions_accepted_total',
    help: 'Petitions durably committed, by channel (duplicates excluded)',
    labelNames: ['channel'],
    registers: [registry],
  });
  const rejected = new Counter({
    name: 'wenkong_petitions_rejected_total',
    help: 'Petitions not stored, by reason (invalid, storage)',
    labelNames: ['reason'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'wenkong_intake_duration_seconds',
    help: 'Time from a parsed intake request to its durable commit',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const clients = new Gauge({
    name: 'wenkong_realtime_clients',
    help: 'Connected Socket.IO clients',
    registers: [registry],
  });
  return {
    registry,
    intake: {
      accepted: (channel, n) => {
        if (n > 0) accepted.inc({ channel }, n);
      },
      rejected: (reason, n) => rejected.inc({ reason }, n),
      observeSeconds: (s) => latency.observe(s),
    },
    setClients: (n) => clients.set(n),
  };
}
