-- Per dialogue: swear words not aimed at anyone are masked and published (default) or held for a facilitator.
ALTER TABLE dialogues ADD COLUMN profanity text NOT NULL DEFAULT 'mask' CHECK (profanity IN ('mask', 'hold'));
