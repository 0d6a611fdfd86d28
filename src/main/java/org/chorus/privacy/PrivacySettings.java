package org.chorus.privacy;

import org.chorus.app.ChorusConfig;

/**
 * The privacy keys of the configuration: the retention period of dialogues that did not choose their own,
 * and how often the retention job looks for dialogues past it.
 */
public record PrivacySettings(int defaultRetentionDays, int retentionCheckMinutes) {
  public static PrivacySettings from(ChorusConfig config) {
    return new PrivacySettings(config.intValue("privacy.defaultRetentionDays"), config.intValue("privacy.retentionCheckMinutes"));
  }
}
