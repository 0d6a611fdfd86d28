-- Placeholder: version 10 belongs to another branch (merged separately). Migrations must be contiguous, so this
-- empty file lets V11 apply on the privacy branch alone. Drop this file and its line when the real V10 is merged.
SELECT 1;
