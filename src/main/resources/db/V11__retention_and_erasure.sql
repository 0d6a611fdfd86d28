-- Retention and erasure (docs/privacy.md).
--
-- Each dialogue keeps its data for retention_days after it ended (NULL: the server's privacy.defaultRetentionDays);
-- then either only what the report needs survives ('keep_report') or every contribution goes ('delete_all').
ALTER TABLE dialogues
  ADD COLUMN retention_days       integer CHECK (retention_days BETWEEN 1 AND 3650),
  ADD COLUMN after_retention      text NOT NULL DEFAULT 'keep_report' CHECK (after_retention IN ('keep_report', 'delete_all')),
  ADD COLUMN closed_at            timestamptz,
  ADD COLUMN retention_applied_at timestamptz;
UPDATE dialogues SET closed_at = updated_at WHERE status = 'closed';

-- A contribution kept past retention outlives its participant row: participant_id becomes an opaque author key
-- (re-randomised at retention) that only lets the report count children. The insert checks that the participant
-- still exists (and locks it against a concurrent erasure) instead of a foreign key.
ALTER TABLE contributions DROP CONSTRAINT contributions_participant_id_fkey;

-- Deleting a contribution or a participant takes what hangs off it along.
ALTER TABLE reactions
  DROP CONSTRAINT reactions_contribution_id_fkey,
  ADD CONSTRAINT reactions_contribution_id_fkey FOREIGN KEY (contribution_id) REFERENCES contributions (id) ON DELETE CASCADE,
  DROP CONSTRAINT reactions_participant_id_fkey,
  ADD CONSTRAINT reactions_participant_id_fkey FOREIGN KEY (participant_id) REFERENCES participants (id) ON DELETE CASCADE;
ALTER TABLE contribution_themes
  DROP CONSTRAINT contribution_themes_contribution_id_fkey,
  ADD CONSTRAINT contribution_themes_contribution_id_fkey FOREIGN KEY (contribution_id) REFERENCES contributions (id) ON DELETE CASCADE;
ALTER TABLE quotes
  DROP CONSTRAINT quotes_contribution_id_fkey,
  ADD CONSTRAINT quotes_contribution_id_fkey FOREIGN KEY (contribution_id) REFERENCES contributions (id) ON DELETE CASCADE;

-- A safeguarding alert outlives an erasure of its contribution (safeguarding duty): the row keeps when it was raised and
-- handled and the contribution's number, never the text; contribution_erased_at says the words were withdrawn.
ALTER TABLE alerts
  DROP CONSTRAINT alerts_contribution_id_fkey,
  ADD COLUMN contribution_erased_at timestamptz;

-- The moderation audit log keeps contribution numbers after the contributions are gone (a number says nothing about
-- what was written). The pseudonymous participant id of a mute/removal entry is unlinked (set NULL) when the
-- participant is erased: the only change the append-only trigger now allows.
ALTER TABLE moderation_audit
  DROP CONSTRAINT moderation_audit_contribution_id_fkey,
  DROP CONSTRAINT moderation_audit_subject,
  DROP CONSTRAINT moderation_audit_participant_id_fkey,
  ADD CONSTRAINT moderation_audit_participant_id_fkey FOREIGN KEY (participant_id) REFERENCES participants (id) ON DELETE SET NULL;

CREATE OR REPLACE FUNCTION moderation_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.participant_id IS NULL
     AND (NEW.id, NEW.at, NEW.dialogue_id, NEW.contribution_id, NEW.actor_kind, NEW.actor_id, NEW.action, NEW.rule_ids, NEW.reason)
         IS NOT DISTINCT FROM
         (OLD.id, OLD.at, OLD.dialogue_id, OLD.contribution_id, OLD.actor_kind, OLD.actor_id, OLD.action, OLD.rule_ids, OLD.reason) THEN
    RETURN NEW; -- unlinking an erased participant
  END IF;
  RAISE EXCEPTION 'moderation_audit is append-only';
END $$;

-- After retention the participant rows are gone; the report still needs how many children joined, by country, age
-- band and language: kept here as counts only.
CREATE TABLE joined_tallies (
  dialogue_id uuid NOT NULL REFERENCES dialogues (id),
  country     char(2) NOT NULL,
  age_band    text NOT NULL,
  language    text NOT NULL,
  children    integer NOT NULL CHECK (children > 0),
  PRIMARY KEY (dialogue_id, country, age_band, language)
);

-- That an erasure or a retention deletion happened: when, who (the child itself, a staff account, or the retention
-- job), how many rows of each kind. Never what was erased, never the participant's id. Append-only.
CREATE TABLE privacy_log (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at             timestamptz NOT NULL DEFAULT now(),
  dialogue_id    uuid NOT NULL REFERENCES dialogues (id),
  kind           text NOT NULL CHECK (kind IN ('withdrawal', 'erasure', 'retention')),
  actor_id       uuid REFERENCES accounts (id),
  participants   integer NOT NULL DEFAULT 0,
  contributions  integer NOT NULL DEFAULT 0,
  reactions      integer NOT NULL DEFAULT 0,
  alerts_kept    integer NOT NULL DEFAULT 0,
  alerts_deleted integer NOT NULL DEFAULT 0,
  CHECK ((kind = 'erasure') = (actor_id IS NOT NULL))
);
CREATE INDEX privacy_log_dialogue ON privacy_log (dialogue_id, id DESC);

CREATE FUNCTION privacy_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'privacy_log is append-only';
END $$;
CREATE TRIGGER privacy_log_no_change BEFORE UPDATE OR DELETE ON privacy_log
  FOR EACH ROW EXECUTE FUNCTION privacy_log_append_only();
CREATE TRIGGER privacy_log_no_truncate BEFORE TRUNCATE ON privacy_log
  FOR EACH STATEMENT EXECUTE FUNCTION privacy_log_append_only();
