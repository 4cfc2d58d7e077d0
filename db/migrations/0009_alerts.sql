-- Early warning (issue 6): versioned rule sets, alerts with their full state history, silences,
-- conditions waiting out their pending period, and an outbox of deliveries to subscribers.
-- Later issues join here: emergency plans reference alerts (acting), cases reference their petitions.

-- Every rule set ever put in force, with its content hash; the highest version is the running one
-- (going back to an earlier set stores it again as a new version, so the history reads in order).
CREATE TABLE alert_rule_sets (
  version serial PRIMARY KEY,
  sha256 text NOT NULL,
  body jsonb NOT NULL,
  -- 'file:<path>' or 'user:<username>'.
  source text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE alerts (
  id uuid PRIMARY KEY,
  rule_id text NOT NULL,
  rule_version integer NOT NULL,
  kind text NOT NULL,
  -- Which slice of the stream the rule looked at, as a stable key (e.g. 'region=320102|topic=labour').
  scope_key text NOT NULL,
  scope jsonb NOT NULL,
  region_code text,
  topic text,
  severity text NOT NULL CHECK (severity IN ('general', 'key', 'major', 'extreme')),
  state text NOT NULL CHECK (state IN ('raised', 'acknowledged', 'acting', 'resolved')),
  title jsonb NOT NULL,
  -- What the rule measured (counts, expectations, probabilities): shown beside the factors.
  measures jsonb NOT NULL,
  score real NOT NULL,
  factors jsonb NOT NULL,
  -- Evidence, newest last, capped by the application.
  petition_ids uuid[] NOT NULL DEFAULT '{}',
  signal_count integer NOT NULL DEFAULT 1,
  sensitive_period text,
  silence_id uuid,
  raised_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  acknowledged_at timestamptz,
  acknowledged_by text,
  acting_at timestamptz,
  resolved_at timestamptz,
  resolved_by text,
  -- How it ended, for train:risk: escalated (it became an incident), contained, false_alarm.
  outcome text CHECK (outcome IN ('escalated', 'contained', 'false_alarm')),
  notified_at timestamptz,
  notify_count integer NOT NULL DEFAULT 0
);
-- Grouping, enforced by the database so two nodes cannot raise the same alert twice.
CREATE UNIQUE INDEX alerts_open_scope_idx ON alerts (rule_id, scope_key) WHERE state <> 'resolved';
CREATE INDEX alerts_raised_idx ON alerts (raised_at DESC);
CREATE INDEX alerts_renotify_idx ON alerts (notified_at) WHERE state = 'raised';

-- Every change of an alert, in order: the lifecycle's audit trail.
CREATE TABLE alert_events (
  id bigserial PRIMARY KEY,
  alert_id uuid NOT NULL REFERENCES alerts (id),
  at timestamptz NOT NULL,
  actor text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('raised', 'updated', 'escalated', 'acknowledged', 'acting', 'resolved', 'note', 'renotified')),
  from_state text,
  to_state text,
  note text,
  detail jsonb
);
CREATE INDEX alert_events_alert_idx ON alert_events (alert_id, id);

-- A silence mutes matching alerts (no live push, no notification) until it ends; the alerts are still kept.
CREATE TABLE alert_silences (
  id uuid PRIMARY KEY,
  rule_id text,
  region_code text,
  topic text,
  reason text NOT NULL,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL,
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  CHECK (ends_at > starts_at)
);

-- A window condition that holds but has not yet held for the rule's pending period.
CREATE TABLE alert_pending (
  rule_id text NOT NULL,
  scope_key text NOT NULL,
  first_seen_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  PRIMARY KEY (rule_id, scope_key)
);

-- Outbox: one row per alert event per subscriber, written in the alert's transaction and delivered by
-- a separate loop, so a slow subscriber never holds up evaluation and a crash loses nothing.
CREATE TABLE alert_deliveries (
  id uuid PRIMARY KEY,
  alert_id uuid NOT NULL REFERENCES alerts (id),
  subscriber_id text NOT NULL,
  event text NOT NULL CHECK (event IN ('raised', 'escalated', 'renotified', 'resolved')),
  created_at timestamptz NOT NULL,
  state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  last_attempt_at timestamptz,
  last_status integer,
  last_error text,
  delivered_at timestamptz
);
CREATE INDEX alert_deliveries_due_idx ON alert_deliveries (next_attempt_at) WHERE state = 'pending';
CREATE INDEX alert_deliveries_alert_idx ON alert_deliveries (alert_id);
