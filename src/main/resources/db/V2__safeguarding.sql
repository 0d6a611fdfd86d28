-- What the safeguarding filter decided for each contribution (the text column holds the redacted text only),
-- and the help each dialogue offers a child who discloses harm.
ALTER TABLE contributions
  ADD COLUMN moderation_action text NOT NULL DEFAULT 'allow' CHECK (moderation_action IN ('allow', 'redact', 'hold', 'alert')),
  ADD COLUMN moderation_flags  jsonb NOT NULL DEFAULT '[]'::jsonb;

ALTER TABLE dialogues
  ADD COLUMN helplines jsonb NOT NULL DEFAULT '[{"name": "Child helpline", "phone": "116 111"}]'::jsonb;
