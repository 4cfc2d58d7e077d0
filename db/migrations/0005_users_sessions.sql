-- Who may sign in, and how: console accounts, their sessions and the login throttle (issue 4).
-- Sessions follow Lucia's guide: the browser holds a random token, the database only its SHA-256, so a
-- dump of this table lets no one sign in. Passwords are argon2id hashes made by the application.

-- One row per person (or wall display) that signs in. Usernames are stored lower-case, so the unique
-- key is case-insensitive without an expression index. failed_logins counts failures since the last
-- success (shown to admins); locked_until mirrors the account lock the login throttle decided.
CREATE TABLE users (
  id uuid PRIMARY KEY,
  username text NOT NULL UNIQUE CHECK (username = lower(username) AND username <> ''),
  display_name text NOT NULL,
  role text NOT NULL CHECK (role IN ('admin', 'duty_leader', 'operator', 'department', 'liaison', 'wall')),
  -- The responsible department (role department) or agency (role liaison) the account acts for.
  department text,
  agency text,
  password_hash text NOT NULL,
  password_changed_at timestamptz NOT NULL,
  disabled_at timestamptz,
  failed_logins integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Signed-in browsers. id is the hex SHA-256 of the session token; expiry slides forward while the
-- session is used. A user's sessions go with the user, and all of them go when the password changes.
CREATE TABLE sessions (
  id text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  -- Where the session was opened from, for the user's own "signed-in devices" list and for audits.
  address text NOT NULL DEFAULT '',
  user_agent text NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);
-- The periodic clean-up deletes by expiry.
CREATE INDEX sessions_expires_at_idx ON sessions (expires_at);

-- Failed logins counted per key in a fixed window: 'addr:<ip>' for a client address, 'user:<name>' for
-- an account name (known or not, so a lock reveals nothing about which names exist). When a key reaches
-- its limit it is blocked until blocked_until; strikes counts blocks in a row so account locks double.
CREATE TABLE login_throttle (
  key text PRIMARY KEY,
  failures integer NOT NULL DEFAULT 0,
  window_started_at timestamptz NOT NULL,
  blocked_until timestamptz,
  strikes integer NOT NULL DEFAULT 0
);
