package org.chorus.app;

/** A configuration value is missing, of the wrong type or out of range; the message names the key. */
public class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
