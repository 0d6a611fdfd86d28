package org.chorus.live;

import org.chorus.app.ChorusConfig;

import java.util.List;

/** The live room's limits, read once from the configuration. */
public record LiveSettings(int maxContributionChars, int historyLimit, int queueLimit, int helloTimeoutSeconds,
                           int maxFrameBytes, int messagesPerSecond, int messageBurst, List<String> reactionKinds,
                           int maxOutgoingBytes, int maxJsonDepth, int maxJsonFields) {
  public static LiveSettings from(ChorusConfig c) {
    return new LiveSettings(c.intValue("live.maxContributionChars"), c.intValue("live.historyLimit"),
        c.intValue("live.queueLimit"), c.intValue("live.helloTimeoutSeconds"), c.intValue("live.maxFrameBytes"),
        c.intValue("live.messagesPerSecond"), c.intValue("live.messageBurst"), c.strings("live.reactionKinds"),
        c.intValue("live.maxOutgoingBytes"), c.intValue("live.maxJsonDepth"), c.intValue("live.maxJsonFields"));
  }
}
