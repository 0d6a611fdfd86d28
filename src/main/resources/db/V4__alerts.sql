-- Safeguarding alerts (disclosures, sexual content): each must be acknowledged by a facilitator; one left
-- unacknowledged past moderation.alertEscalationSeconds is escalated to staff.
CREATE TABLE alerts (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  dialogue_id      uuid NOT NULL REFERENCES dialogues (id),
  contribution_id  bigint NOT NULL UNIQUE REFERENCES contributions (id),
  raised_at        timestamptz NOT NULL DEFAULT now(),
  acknowledged_at  timestamptz,
  acknowledged_by  uuid REFERENCES accounts (id),
  escalated_at     timestamptz
);
CREATE INDEX alerts_open ON alerts (raised_at) WHERE acknowledged_at IS NULL;
