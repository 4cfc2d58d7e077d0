-- The spine's storage: petitions keyed by time, their idempotency keys, petitioner contacts kept apart
-- from the text, per-minute rollups for the dashboards, and hashed channel API keys.
-- Plain PostgreSQL here; 0002 upgrades petitions to a hypertable when TimescaleDB is present.

-- Facts about this database that code reads at start (e.g. storage_mode: plain | timescale).
CREATE TABLE app_settings (
  key text PRIMARY KEY,
  value text NOT NULL
);
INSERT INTO app_settings (key, value) VALUES ('storage_mode', 'plain');

-- One row per accepted petition. The primary key leads with the time column so that the table can
-- become a TimescaleDB hypertable (unique keys there must include the partitioning column).
CREATE TABLE petitions (
  received_at timestamptz NOT NULL,
  id uuid NOT NULL,
  accepted_at timestamptz NOT NULL DEFAULT now(),
  channel text NOT NULL,
  external_id text,
  region_code text,
  topic text NOT NULL,
  grade text NOT NULL CHECK (grade IN ('general', 'key', 'major')),
  sentiment_label text NOT NULL CHECK (sentiment_label IN ('negative', 'neutral', 'positive')),
  sentiment_score double precision NOT NULL CHECK (sentiment_score BETWEEN -1 AND 1),
  people integer,
  amount_yuan bigint,
  extreme boolean NOT NULL,
  risk_terms jsonb NOT NULL,
  reasons text[] NOT NULL,
  analyser_version text NOT NULL,
  -- The full analysis as the analyser returned it, for fields that are not (yet) columns.
  analysis jsonb NOT NULL,
  text text NOT NULL,
  -- Masked, shortened text for live views and lists: no phone or ID numbers.
  summary text NOT NULL,
  PRIMARY KEY (received_at, id)
);
CREATE INDEX petitions_id_idx ON petitions (id);
CREATE INDEX petitions_region_time_idx ON petitions (region_code, received_at DESC);
CREATE INDEX petitions_topic_time_idx ON petitions (topic, received_at DESC);
-- Latest arrivals (wall and console lists), whatever time the petition says it was received.
CREATE INDEX petitions_accepted_idx ON petitions (accepted_at DESC);

-- Idempotency: a channel's own id maps to the first petition stored for it. A separate table because
-- a hypertable cannot carry a unique key without the time column.
CREATE TABLE petition_keys (
  channel text NOT NULL,
  external_id text NOT NULL,
  petition_id uuid NOT NULL,
  received_at timestamptz NOT NULL,
  PRIMARY KEY (channel, external_id)
);

-- Petitioner identity, sealed with AES-256-GCM by the application (key id + nonce + ciphertext), so a
-- database dump alone reveals no one. Never joined into live views.
CREATE TABLE petition_contacts (
  petition_id uuid PRIMARY KEY,
  received_at timestamptz NOT NULL,
  key_id text NOT NULL,
  sealed bytea NOT NULL
);

-- Per-minute counts by region x topic x channel. On plain PostgreSQL the writer keeps this up to date in
-- the same transaction as the petitions; with TimescaleDB a continuous aggregate replaces it (0002).
CREATE TABLE petition_minute_rollup (
  bucket timestamptz NOT NULL,
  region_code text NOT NULL,
  topic text NOT NULL,
  channel text NOT NULL,
  total integer NOT NULL,
  general integer NOT NULL,
  key integer NOT NULL,
  major integer NOT NULL,
  negative integer NOT NULL,
  sentiment_sum double precision NOT NULL,
  PRIMARY KEY (bucket, region_code, topic, channel)
);

-- Every dashboard query reads this view, whichever engine stands behind it.
CREATE VIEW petition_minute AS
  SELECT bucket, region_code, topic, channel, total, general, key, major, negative, sentiment_sum
  FROM petition_minute_rollup;

-- Channel API keys: only the SHA-256 of the key is stored; the key itself is shown once at creation.
CREATE TABLE api_keys (
  id uuid PRIMARY KEY,
  channel text NOT NULL,
  label text NOT NULL DEFAULT '',
  key_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);
