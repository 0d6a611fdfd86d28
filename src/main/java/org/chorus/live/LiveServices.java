package org.chorus.live;

import org.chorus.auth.TokenService;
import org.chorus.contribution.ContributionService;
import org.chorus.dialogue.DialogueService;
import org.chorus.dialogue.ParticipantStore;
import org.chorus.moderation.AlertService;

/** What the WebSocket edge calls into; shared by all HTTP verticle instances of a node. */
public record LiveServices(TokenService tokens, DialogueService dialogues, ParticipantStore participants,
                           ContributionService contributions, AlertService alerts, LiveSettings settings) {}
