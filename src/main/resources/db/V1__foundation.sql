-- Chorus foundation schema. What is stored and why: docs/privacy.md.
-- No IP address, user agent, e-mail or real name is stored anywhere.

CREATE TABLE accounts (
  id            uuid PRIMARY KEY,
  username      text NOT NULL UNIQUE,
  password_hash text NOT NULL,
  role          text NOT NULL CHECK (role IN ('staff', 'facilitator')),
  created_at    timestamptz NOT NULL DEFAULT now(),
  created_by    uuid REFERENCES accounts (id)
);

CREATE TABLE dialogues (
  id                uuid PRIMARY KEY,
  title             text NOT NULL,
  description       text NOT NULL DEFAULT '',
  languages         text[] NOT NULL,
  moderation_mode   text NOT NULL CHECK (moderation_mode IN ('pre', 'post')),
  capacity          integer NOT NULL CHECK (capacity > 0),
  opens_at          timestamptz,
  closes_at         timestamptz,
  status            text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'closed')),
  join_code         text UNIQUE,
  current_prompt_id bigint,
  created_by        uuid NOT NULL REFERENCES accounts (id),
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  CHECK (closes_at IS NULL OR opens_at IS NULL OR closes_at > opens_at)
);

CREATE TABLE prompts (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  dialogue_id uuid NOT NULL REFERENCES dialogues (id),
  position    integer NOT NULL,
  text        text NOT NULL,
  UNIQUE (dialogue_id, position)
);

ALTER TABLE dialogues
  ADD CONSTRAINT dialogues_current_prompt_fk FOREIGN KEY (current_prompt_id) REFERENCES prompts (id);

CREATE TABLE dialogue_facilitators (
  dialogue_id uuid NOT NULL REFERENCES dialogues (id),
  account_id  uuid NOT NULL REFERENCES accounts (id),
  assigned_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (dialogue_id, account_id)
);

-- A child in one dialogue: a random pseudonymous id, never derived from anything about the child.
CREATE TABLE participants (
  id          uuid PRIMARY KEY,
  dialogue_id uuid NOT NULL REFERENCES dialogues (id),
  nickname    text NOT NULL,
  age_band    text NOT NULL,
  country     char(2) NOT NULL,
  language    text NOT NULL,
  consent_at  timestamptz NOT NULL,
  joined_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX participants_dialogue ON participants (dialogue_id);

-- Age band, country and language are copied from the participant so that the report needs no join
-- and a later erasure of the participant row keeps the anonymous contribution.
CREATE TABLE contributions (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  dialogue_id     uuid NOT NULL REFERENCES dialogues (id),
  prompt_id       bigint NOT NULL REFERENCES prompts (id),
  participant_id  uuid NOT NULL REFERENCES participants (id),
  client_id       text NOT NULL,
  age_band        text NOT NULL,
  country         char(2) NOT NULL,
  language        text NOT NULL,
  text            text NOT NULL,
  status          text NOT NULL CHECK (status IN ('pending', 'published', 'rejected', 'removed')),
  decided_by      uuid REFERENCES accounts (id),
  decision_reason text,
  decided_at      timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (participant_id, client_id)
);
CREATE INDEX contributions_room ON contributions (dialogue_id, status, id DESC);
CREATE INDEX contributions_author ON contributions (participant_id, id DESC);

CREATE TABLE reactions (
  contribution_id bigint NOT NULL REFERENCES contributions (id),
  participant_id  uuid NOT NULL REFERENCES participants (id),
  kind            text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (contribution_id, participant_id, kind)
);
