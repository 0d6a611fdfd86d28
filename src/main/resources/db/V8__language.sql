-- The language of each contribution (Lingua), next to the language the child chose at join (`language`).
-- detected_language: ISO 639-1 or 'und'; content_language: the one the contribution counts under (the
-- detected one when the detector was sure, else the chosen one); language_source: which of the two.
-- All three are NULL while the detector is still loading: such rows are tagged later, never dropped.
ALTER TABLE contributions
  ADD COLUMN detected_language text,
  ADD COLUMN content_language  text,
  ADD COLUMN language_source   text CHECK (language_source IN ('detected', 'chosen', 'none'));

CREATE INDEX contributions_untagged ON contributions (id) WHERE language_source IS NULL;
