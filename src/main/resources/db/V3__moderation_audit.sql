-- Every moderation decision, automatic (the filter) or human (a facilitator or staff), appended here and
-- never changed: who, when, which rules, which action. Visible to staff. No contribution text is copied here.
CREATE TABLE moderation_audit (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at              timestamptz NOT NULL DEFAULT now(),
  dialogue_id     uuid NOT NULL REFERENCES dialogues (id),
  contribution_id bigint NOT NULL REFERENCES contributions (id),
  actor_kind      text NOT NULL CHECK (actor_kind IN ('filter', 'account')),
  actor_id        uuid REFERENCES accounts (id),
  action          text NOT NULL,
  rule_ids        text[] NOT NULL DEFAULT '{}',
  reason          text,
  CHECK ((actor_kind = 'filter') = (actor_id IS NULL))
);
CREATE INDEX moderation_audit_dialogue ON moderation_audit (dialogue_id, id DESC);

CREATE FUNCTION moderation_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'moderation_audit is append-only';
END $$;

CREATE TRIGGER moderation_audit_no_change BEFORE UPDATE OR DELETE ON moderation_audit
  FOR EACH ROW EXECUTE FUNCTION moderation_audit_append_only();
CREATE TRIGGER moderation_audit_no_truncate BEFORE TRUNCATE ON moderation_audit
  FOR EACH STATEMENT EXECUTE FUNCTION moderation_audit_append_only();
