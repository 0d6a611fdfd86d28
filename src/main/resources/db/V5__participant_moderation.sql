-- Facilitators can approve a contribution with an edit (recorded), mute a child for some minutes or remove
-- them from the room; these decisions are audited like the others.
ALTER TABLE contributions ADD COLUMN edited boolean NOT NULL DEFAULT false;

ALTER TABLE participants
  ADD COLUMN muted_until timestamptz,
  ADD COLUMN removed_at  timestamptz;

ALTER TABLE moderation_audit
  ALTER COLUMN contribution_id DROP NOT NULL,
  ADD COLUMN participant_id uuid REFERENCES participants (id),
  ADD CONSTRAINT moderation_audit_subject CHECK (contribution_id IS NOT NULL OR participant_id IS NOT NULL);
