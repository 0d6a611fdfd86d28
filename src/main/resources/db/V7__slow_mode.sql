-- Slow mode: a facilitator can ask every child of a room to wait this many seconds between contributions.
ALTER TABLE dialogues ADD COLUMN slow_mode_seconds integer NOT NULL DEFAULT 0 CHECK (slow_mode_seconds BETWEEN 0 AND 600);
