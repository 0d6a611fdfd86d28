-- Tokens refused before their expiry: one signed-out token ('jti:<token id>'), or every token issued up
-- to revoked_at of a child a facilitator removed or of an account whose sign-ins staff ended
-- ('sub:<participant or account id>'). Kept only until no token it covers can still be valid, then
-- pruned. Every node loads it at start and hears new entries on the event bus.
CREATE TABLE revoked_tokens (
  token_key  text PRIMARY KEY CHECK (token_key ~ '^(jti|sub):[0-9a-f-]{36}$'),
  revoked_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX revoked_tokens_expiry ON revoked_tokens (expires_at);
