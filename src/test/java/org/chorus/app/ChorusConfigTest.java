package org.chorus.app;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChorusConfigTest {
  @Test
  void defaultsAreValid() {
    ChorusConfig c = ChorusConfig.load(null, Map.of());
    assertEquals(8080, c.httpPort());
    assertFalse(c.usesExternalDatabase());
    assertEquals(List.of("9-11", "12-14", "15-17"), c.strings("join.ageBands"));
  }

  @Test
  void environmentOverridesEveryKind() {
    ChorusConfig c = ChorusConfig.load(null, Map.of(
        "CHORUS_HTTP_PORT", "9090",
        "CHORUS_SAMPLE_DATA", "false",
        "CHORUS_JOIN_AGE_BANDS", "10-12, 13-15",
        "CHORUS_AUTH_JWT_SECRET", "x".repeat(40),
        "DATABASE_URL", "postgresql://u:secret@db.example:5432/chorus"));
    assertEquals(9090, c.httpPort());
    assertFalse(c.bool("sampleData"));
    assertEquals(List.of("10-12", "13-15"), c.strings("join.ageBands"));
    assertTrue(c.usesExternalDatabase());
    assertEquals("postgresql://u:***@db.example:5432/chorus", c.redacted().getJsonObject("database").getString("url"));
    assertEquals("***", c.redacted().getJsonObject("auth").getString("jwtSecret"));
  }

  @Test
  void envNamesFollowTheKeys() {
    assertEquals("CHORUS_AUTH_JWT_SECRET", ChorusConfig.envName("auth.jwtSecret"));
    assertEquals("CHORUS_LIVE_MAX_CONTRIBUTION_CHARS", ChorusConfig.envName("live.maxContributionChars"));
  }

  @Test
  void badValuesNameTheKey() {
    assertMessage("CHORUS_HTTP_PORT (http.port) must be a whole number", Map.of("CHORUS_HTTP_PORT", "eighty"));
    assertMessage("http.port (CHORUS_HTTP_PORT) must be between 0 and 65535", Map.of("CHORUS_HTTP_PORT", "70000"));
    assertMessage("CHORUS_SAMPLE_DATA (sampleData) must be true or false", Map.of("CHORUS_SAMPLE_DATA", "maybe"));
    assertMessage("auth.jwtSecret", Map.of("CHORUS_AUTH_JWT_SECRET", "short"));
    assertMessage("database.url", Map.of("DATABASE_URL", "mysql://x"));
    assertMessage("join.ageBands", Map.of("CHORUS_JOIN_AGE_BANDS", "young"));
  }

  @Test
  void aConfigFileIsCheckedForUnknownKeysAndTypes() throws Exception {
    Path file = Files.createTempFile("chorus", ".json");
    Files.writeString(file, new JsonObject().put("http", new JsonObject().put("prot", 1)).encode());
    ConfigException e = assertThrows(ConfigException.class, () -> ChorusConfig.load(file, Map.of()));
    assertTrue(e.getMessage().contains("unknown configuration key 'http.prot'"), e.getMessage());

    Files.writeString(file, "{ not json");
    e = assertThrows(ConfigException.class, () -> ChorusConfig.load(file, Map.of()));
    assertTrue(e.getMessage().contains("is not a JSON object"), e.getMessage());

    Files.writeString(file, new JsonObject().put("live", new JsonObject().put("historyLimit", "lots")).encode());
    e = assertThrows(ConfigException.class, () -> ChorusConfig.load(file, Map.of()));
    assertTrue(e.getMessage().contains("live.historyLimit"), e.getMessage());

    Files.writeString(file, new JsonObject().put("http", new JsonObject().put("port", 9191)).encode());
    assertEquals(9191, ChorusConfig.load(file, Map.of()).httpPort());
    assertEquals(9292, ChorusConfig.load(file, Map.of("CHORUS_HTTP_PORT", "9292")).httpPort(), "the environment wins over the file");
  }

  @Test
  void aClusterNeedsMembersASharedDatabaseAndASharedSecret() {
    Map<String, String> cluster = Map.of("CHORUS_CLUSTER_ENABLED", "true");
    assertMessage("cluster.members", cluster);
    Map<String, String> members = Map.of("CHORUS_CLUSTER_ENABLED", "true", "CHORUS_CLUSTER_MEMBERS", "10.0.0.1:5701,10.0.0.2:5701");
    assertMessage("database.url", members);
    Map<String, String> withDb = new java.util.HashMap<>(members);
    withDb.put("DATABASE_URL", "postgresql://chorus:pw@10.0.0.20:5432/chorus");
    assertMessage("auth.jwtSecret", withDb);
    withDb.put("CHORUS_AUTH_JWT_SECRET", "x".repeat(40));
    assertTrue(ChorusConfig.load(null, withDb).bool("cluster.enabled"));
    withDb.put("CHORUS_CLUSTER_MEMBERS", "not a member");
    assertMessage("must look like host:port", withDb);
  }

  @Test
  void trustedProxiesAreAddressesNotNames() {
    Map<String, String> env = new java.util.HashMap<>(Map.of("CHORUS_HTTP_TRUSTED_PROXIES", "10.0.0.2,lb.example.org"));
    assertMessage("http.trustedProxies must list the load balancers' IP addresses (no host names), found \"lb.example.org\"", env);
    env.put("CHORUS_HTTP_TRUSTED_PROXIES", "10.0.0.2,10.0.0.3");
    org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of("10.0.0.2", "10.0.0.3"), ChorusConfig.load(null, env).strings("http.trustedProxies"));
  }

  private static void assertMessage(String expected, Map<String, String> env) {
    ConfigException e = assertThrows(ConfigException.class, () -> ChorusConfig.load(null, env));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
