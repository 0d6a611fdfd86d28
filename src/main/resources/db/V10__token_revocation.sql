-- Tokens refused before their expiry: one signed-out token ('jti:<token id>') or every token of a
-- child a facilitator removed ('sub:<participant id>'). Kept only until no token it covers can still be
-- valid, then pruned. Every node loads it at start and hears new entries on the event bus.
CREATE TABLE revoked_tokens (
  token_key  text PRIMARY KEY CHECK (token_key ~ '^(jti|sub):[0-9a-f-]{36}$'),
  expires_at timestamptz NOT NULL
);
CREATE INDEX revoked_tokens_expiry ON revoked_tokens (expires_at);
