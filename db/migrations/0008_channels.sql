-- Every channel into one stream: the original of each petition as its channel delivered it and the
-- files that came with it (both sealed like contacts, because they hold personal data), a dead-letter
-- table so that no record that failed parsing, validation or analysis is lost, small durable state for
-- polling adapters (IMAP cursors, feed ETags), blind person keys for "same person" hints, and links
-- between petitions of one matter or one person across channels.

CREATE TABLE petition_originals (
  petition_id uuid PRIMARY KEY,
  received_at timestamptz NOT NULL,
  -- json | row | email | feed-item | form (ingest/channels/adapter.ts)
  format text NOT NULL,
  -- Where in its source it was: a row number, an IMAP uid, a feed link.
  position text,
  key_id text NOT NULL,
  sealed bytea NOT NULL
);

CREATE TABLE petition_attachments (
  id uuid PRIMARY KEY,
  petition_id uuid NOT NULL,
  received_at timestamptz NOT NULL,
  filename text NOT NULL,
  content_type text NOT NULL,
  size_bytes integer NOT NULL,
  sha256 text NOT NULL,
  key_id text NOT NULL,
  sealed bytea NOT NULL
);
CREATE INDEX petition_attachments_petition_idx ON petition_attachments (petition_id);

-- A record that could not become a petition. The raw payload is sealed; `preview` is masked and short,
-- safe for the operators' list. Retrying re-runs the channel's mapping on the (possibly corrected)
-- payload; a success marks the row resolved and points at the petition.
CREATE TABLE dead_letters (
  id uuid PRIMARY KEY,
  created_at timestamptz NOT NULL DEFAULT now(),
  channel text NOT NULL,
  stage text NOT NULL CHECK (stage IN ('parse', 'validate', 'analyse')),
  reason text NOT NULL,
  fields jsonb NOT NULL DEFAULT '[]',
  format text NOT NULL,
  position text,
  source_actor text NOT NULL,
  source_role text NOT NULL,
  preview text NOT NULL,
  key_id text NOT NULL,
  sealed bytea NOT NULL,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved', 'discarded')),
  attempts integer NOT NULL DEFAULT 0,
  last_attempt_at timestamptz,
  resolved_at timestamptz,
  resolved_by text,
  petition_id uuid
);
CREATE INDEX dead_letters_open_idx ON dead_letters (created_at DESC) WHERE status = 'open';
CREATE INDEX dead_letters_created_idx ON dead_letters (created_at DESC);

-- Cursors and validators of polling adapters, and of background jobs (the linker's position).
CREATE TABLE channel_state (
  key text PRIMARY KEY,
  value text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- HMAC-SHA256 of the normalised phone and ID numbers under a key the database never sees: equal keys
-- mean the same person, while the numbers themselves stay sealed.
ALTER TABLE petition_contacts ADD COLUMN person_keys text[] NOT NULL DEFAULT '{}';
CREATE INDEX petition_contacts_person_keys_idx ON petition_contacts USING gin (person_keys);

-- One matter or one person seen through several petitions, often from different channels. Stored in
-- both directions so a petition's links are one index probe.
CREATE TABLE petition_links (
  petition_id uuid NOT NULL,
  linked_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('near_duplicate', 'same_person')),
  similarity real NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (petition_id, linked_id, kind)
);
