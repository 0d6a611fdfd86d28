package org.chorus.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * The JWT signing secret: from configuration when given, else generated once and kept in the data
 * folder with owner-only permissions, so tokens survive a restart. Blocking file I/O: call from a worker.
 */
public final class SigningKey {
  static final String FILE_NAME = "jwt-signing-key";

  private SigningKey() {}

  public static String loadOrCreate(String configured, Path dataDir) {
    if (configured != null && !configured.isEmpty()) {
      return configured;
    }
    Path file = dataDir.resolve(FILE_NAME);
    try {
      Files.createDirectories(dataDir);
      if (!Files.exists(file)) {
        byte[] bytes = new byte[48];
        new SecureRandom().nextBytes(bytes);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        try {
          Files.createFile(file, PosixFilePermissions.asFileAttribute(Set.of(
              java.nio.file.attribute.PosixFilePermission.OWNER_READ,
              java.nio.file.attribute.PosixFilePermission.OWNER_WRITE)));
          Files.writeString(file, secret, StandardCharsets.UTF_8);
        } catch (FileAlreadyExistsException raced) {
          // another node on the same folder created it first: read theirs below
        }
      }
      String secret = Files.readString(file, StandardCharsets.UTF_8).trim();
      if (secret.length() < 32) {
        throw new IllegalStateException(file + " holds a signing key shorter than 32 characters");
      }
      return secret;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read or create the signing key " + file + ": " + e.getMessage(), e);
    }
  }
}
