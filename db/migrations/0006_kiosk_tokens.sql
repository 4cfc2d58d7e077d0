-- Wall displays sign in with a kiosk token instead of a password: read-only, revocable, and bound to
-- the first screen that uses it (a device secret set as a cookie then; its hash is kept here). Only
-- hashes are stored, as for sessions and API keys.
CREATE TABLE kiosk_tokens (
  id uuid PRIMARY KEY,
  label text NOT NULL,
  token_hash text NOT NULL UNIQUE,
  device_hash text,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  bound_at timestamptz,
  last_seen_at timestamptz,
  revoked_at timestamptz
);
