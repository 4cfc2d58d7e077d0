-- The audit trail: every state change and every read of identity data, appended, never changed.
-- Each row carries the SHA-256 of its predecessor's hash and its own content, so editing or deleting
-- any row breaks the chain from there on (npm run audit:verify names the first broken link). The
-- trigger stops accidental UPDATE/DELETE; the chain catches deliberate ones.
CREATE TABLE audit_log (
  seq bigint PRIMARY KEY,
  at timestamptz NOT NULL,
  -- Who: a user id, an API key id, or 'system'; and the role or kind they acted as.
  actor text NOT NULL,
  actor_role text NOT NULL,
  -- What: e.g. petition.create, contact.read, user.disable.
  action text NOT NULL,
  subject_type text NOT NULL,
  subject_id text,
  -- From where: client address (or 'cli', 'job').
  address text,
  before jsonb,
  after jsonb,
  prev_hash text NOT NULL,
  hash text NOT NULL UNIQUE
);
CREATE INDEX audit_log_subject_idx ON audit_log (subject_type, subject_id, seq);
CREATE INDEX audit_log_actor_idx ON audit_log (actor, seq);
CREATE INDEX audit_log_action_at_idx ON audit_log (action, at);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP;
END
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
