-- The summary report: a staff-defined theme list, themes on approved contributions, and candidate quotes
-- with an optional rendering in another language beside the original (which is never changed).
CREATE TABLE themes (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
  created_by  uuid REFERENCES accounts (id),
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX themes_name ON themes (lower(name));

CREATE TABLE contribution_themes (
  contribution_id bigint NOT NULL REFERENCES contributions (id),
  theme_id        bigint NOT NULL REFERENCES themes (id) ON DELETE CASCADE,
  tagged_by       uuid REFERENCES accounts (id),
  tagged_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (contribution_id, theme_id)
);
CREATE INDEX contribution_themes_theme ON contribution_themes (theme_id);

CREATE TABLE quotes (
  contribution_id    bigint PRIMARY KEY REFERENCES contributions (id),
  rendering          text CHECK (rendering IS NULL OR length(rendering) BETWEEN 1 AND 2000),
  rendering_language text,
  marked_by          uuid REFERENCES accounts (id),
  marked_at          timestamptz NOT NULL DEFAULT now()
);

-- Exports read a dialogue's contributions in prompt order.
CREATE INDEX contributions_export ON contributions (dialogue_id, prompt_id, id) WHERE status = 'published';
