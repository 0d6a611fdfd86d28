package org.chorus.live;

import io.vertx.core.json.JsonObject;
import org.chorus.auth.Principal;
import org.chorus.dialogue.Dialogue;
import org.chorus.dialogue.ParticipantStore.Participant;

/** What a command needs of the connection it came on: who, which room (as this socket sees it), a way to answer. */
interface Session {
  Principal principal();

  /** The child behind a child's connection; null for facilitators and staff. */
  Participant participant();

  Dialogue room();

  void send(JsonObject frame);
}
