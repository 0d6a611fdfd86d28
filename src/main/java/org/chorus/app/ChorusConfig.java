package org.chorus.app;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.chorus.language.LanguageDetection;
import org.chorus.web.Tls;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one configuration of a Chorus node: built-in defaults ({@code chorus-defaults.json}), then an
 * optional JSON file, then environment variables. Every leaf key {@code a.bC} can be overridden by
 * {@code CHORUS_A_B_C}; {@code DATABASE_URL} overrides {@code database.url}. Validated once, at start:
 * a bad value stops the server with a message naming the key.
 */
public final class ChorusConfig {
  public static final String DEFAULTS_RESOURCE = "/chorus-defaults.json";
  public static final String ENV_PREFIX = "CHORUS_";

  private final JsonObject json;

  private ChorusConfig(JsonObject json) {
    this.json = json;
    validate();
  }

  /** Defaults + file (if any) + environment. {@code file} may be null: then ./chorus.json is used if present. */
  public static ChorusConfig load(Path file, Map<String, String> env) {
    JsonObject merged = defaults();
    Path chosen = file;
    if (chosen == null && env.get("CHORUS_CONFIG") != null) {
      chosen = Path.of(env.get("CHORUS_CONFIG"));
    }
    if (chosen == null && Files.isRegularFile(Path.of("chorus.json"))) {
      chosen = Path.of("chorus.json");
    }
    if (chosen != null) {
      JsonObject fromFile = readFile(chosen);
      overlay(merged, fromFile, "", chosen.toString());
    }
    applyEnvironment(merged, "", env);
    String databaseUrl = env.get("DATABASE_URL");
    if (databaseUrl != null && !databaseUrl.isBlank()) {
      merged.getJsonObject("database").put("url", databaseUrl.trim());
    }
    return new ChorusConfig(merged);
  }

  /** Defaults overlaid with {@code overrides} (same shape); for tests and tools. No environment. */
  public static ChorusConfig of(JsonObject overrides) {
    JsonObject merged = defaults();
    overlay(merged, overrides, "", "overrides");
    return new ChorusConfig(merged);
  }

  public static JsonObject defaults() {
    try (InputStream in = ChorusConfig.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(DEFAULTS_RESOURCE + " missing from the classpath");
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonObject readFile(Path path) {
    try {
      return new JsonObject(Files.readString(path));
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + path + ": " + e.getMessage());
    } catch (DecodeException | ClassCastException e) {
      throw new ConfigException("config file " + path + " is not a JSON object: " + e.getMessage());
    }
  }

  /** Copies values of {@code source} into {@code target}; keys unknown to the defaults are an error. */
  private static void overlay(JsonObject target, JsonObject source, String prefix, String origin) {
    for (Map.Entry<String, Object> e : source) {
      String key = prefix + e.getKey();
      if (!target.containsKey(e.getKey())) {
        throw new ConfigException("unknown configuration key '" + key + "' in " + origin);
      }
      Object current = target.getValue(e.getKey());
      Object value = e.getValue();
      if (current instanceof JsonObject currentObject) {
        if (!(value instanceof JsonObject valueObject)) {
          throw new ConfigException("configuration key '" + key + "' in " + origin + " must be an object");
        }
        overlay(currentObject, valueObject, key + ".", origin);
      } else {
        target.put(e.getKey(), value);
      }
    }
  }

  private static void applyEnvironment(JsonObject target, String prefix, Map<String, String> env) {
    for (String field : List.copyOf(target.fieldNames())) {
      String key = prefix + field;
      Object current = target.getValue(field);
      if (current instanceof JsonObject nested) {
        applyEnvironment(nested, key + ".", env);
        continue;
      }
      String raw = env.get(envName(key));
      if (raw == null) {
        continue;
      }
      target.put(field, parseEnvValue(key, current, raw.trim()));
    }
  }

  /** {@code auth.jwtSecret} → {@code CHORUS_AUTH_JWT_SECRET}. */
  public static String envName(String key) {
    StringBuilder out = new StringBuilder(ENV_PREFIX);
    for (char c : key.toCharArray()) {
      if (c == '.') {
        out.append('_');
      } else if (Character.isUpperCase(c)) {
        out.append('_').append(c);
      } else {
        out.append(Character.toUpperCase(c));
      }
    }
    return out.toString();
  }

  private static Object parseEnvValue(String key, Object current, String raw) {
    String env = envName(key);
    if (current instanceof Integer || current instanceof Long) {
      try {
        return Integer.parseInt(raw);
      } catch (NumberFormatException e) {
        throw new ConfigException(env + " (" + key + ") must be a whole number, got '" + raw + "'");
      }
    }
    if (current instanceof Double) {
      try {
        return Double.parseDouble(raw);
      } catch (NumberFormatException e) {
        throw new ConfigException(env + " (" + key + ") must be a number such as 0.1, got '" + raw + "'");
      }
    }
    if (current instanceof Boolean) {
      if (!raw.equalsIgnoreCase("true") && !raw.equalsIgnoreCase("false")) {
        throw new ConfigException(env + " (" + key + ") must be true or false, got '" + raw + "'");
      }
      return Boolean.parseBoolean(raw);
    }
    if (current instanceof JsonArray) {
      JsonArray list = new JsonArray();
      for (String part : raw.split(",")) {
        if (!part.isBlank()) {
          list.add(part.trim());
        }
      }
      return list;
    }
    return raw;
  }

  // ---- validation -------------------------------------------------------------------------

  private void validate() {
    intIn("http.port", 0, 65535);
    intIn("http.instances", 0, 64);
    intIn("http.maxBodyBytes", 1024, 10 * 1024 * 1024);
    intIn("http.sendBufferBytes", 8 * 1024, 16 * 1024 * 1024);
    intIn("http.idleTimeoutSeconds", 1, 3600);
    nonBlank("http.host");
    String publicUrl = string("http.publicUrl");
    if (!publicUrl.isEmpty()) {
      requireHttpUrl("http.publicUrl", publicUrl);
    }
    for (String origin : strings("http.allowedOrigins")) {
      requireHttpUrl("http.allowedOrigins", origin);
    }
    for (String proxy : strings("http.trustedProxies")) {
      if (!org.chorus.web.ClientAddress.isIpLiteral(proxy.trim())) {
        throw new ConfigException("http.trustedProxies must list the load balancers' IP addresses (no host names), found \"" + proxy + "\"");
      }
    }
    validateTls();
    nonBlank("dataDir");
    String url = string("database.url");
    if (!url.isEmpty() && !(url.startsWith("postgresql://") || url.startsWith("postgres://"))) {
      throw new ConfigException("database.url (DATABASE_URL) must look like postgresql://user:pass@host:5432/db");
    }
    intIn("database.poolSize", 1, 100);
    String secret = string("auth.jwtSecret");
    if (!secret.isEmpty() && secret.length() < 32) {
      throw new ConfigException("auth.jwtSecret (CHORUS_AUTH_JWT_SECRET) must be at least 32 characters, or empty to generate one");
    }
    nonBlank("auth.issuer");
    intIn("auth.staffTokenMinutes", 1, 24 * 60);
    intIn("auth.childTokenMinutes", 1, 24 * 60);
    intIn("auth.pbkdf2Iterations", 1000, 10_000_000);
    intIn("auth.loginFailuresBeforeBackoff", 1, 100);
    if (!string("auth.initialStaffUser").matches("[a-z0-9._-]{3,32}")) {
      throw new ConfigException("auth.initialStaffUser must be 3-32 characters of a-z 0-9 . _ -");
    }
    String initialPassword = string("auth.initialStaffPassword");
    if (!initialPassword.isEmpty() && initialPassword.length() < 12) {
      throw new ConfigException("auth.initialStaffPassword (CHORUS_AUTH_INITIAL_STAFF_PASSWORD) must be at least 12 characters");
    }
    if (strings("join.ageBands").isEmpty()) {
      throw new ConfigException("join.ageBands must list at least one age band");
    }
    for (String band : strings("join.ageBands")) {
      if (!band.matches("\\d{1,2}-\\d{1,2}")) {
        throw new ConfigException("join.ageBands: '" + band + "' must look like 12-14");
      }
    }
    intIn("join.wrongCodesPerClient", 1, 10_000);
    intIn("join.wrongCodeWindowSeconds", 1, 86_400);
    intIn("join.wrongCodesGlobalPerMinute", 1, 1_000_000);
    intIn("live.maxContributionChars", 1, 10_000);
    intIn("live.historyLimit", 1, 1000);
    intIn("live.queueLimit", 1, 10_000);
    intIn("live.helloTimeoutSeconds", 1, 600);
    intIn("live.maxFrameBytes", 1024, 1024 * 1024);
    intIn("live.messagesPerSecond", 1, 1000);
    intIn("live.messageBurst", 1, 10_000);
    intIn("live.maxOutgoingBytes", 16 * 1024, 64 * 1024 * 1024);
    intIn("live.maxJsonDepth", 1, 64);
    intIn("live.maxJsonFields", 8, 10_000);
    if (intValue("live.maxFrameBytes") < intValue("live.maxContributionChars") * 4 + 512) {
      throw new ConfigException("live.maxFrameBytes must hold a contribution of live.maxContributionChars in UTF-8 (at least 4 bytes a character + 512)");
    }
    List<String> kinds = strings("live.reactionKinds");
    if (kinds.isEmpty()) {
      throw new ConfigException("live.reactionKinds must list at least one reaction");
    }
    for (String kind : kinds) {
      if (!kind.matches("[a-z_]{1,20}")) {
        throw new ConfigException("live.reactionKinds: '" + kind + "' must be 1-20 characters of a-z and _");
      }
    }
    nonBlank("moderation.rulesDir");
    intIn("moderation.reloadSeconds", 1, 3600);
    intIn("moderation.alertEscalationSeconds", 1, 86_400);
    bool("moderation.disclosureModel");
    List<String> detect = strings("language.detect");
    if (detect.isEmpty()) {
      throw new ConfigException("language.detect must list at least one language (ISO 639-1 codes such as en, fr, ar)");
    }
    List<String> unknown = LanguageDetection.unsupported(detect);
    if (!unknown.isEmpty()) {
      throw new ConfigException("language.detect: " + unknown + " are not ISO 639-1 codes of languages Lingua can detect");
    }
    if (!List.of("high", "low").contains(string("language.accuracy"))) {
      throw new ConfigException("language.accuracy (" + envName("language.accuracy") + ") must be \"high\" or \"low\"");
    }
    double distance = number("language.minimumRelativeDistance");
    if (distance < 0 || distance > 0.99) {
      throw new ConfigException("language.minimumRelativeDistance (" + envName("language.minimumRelativeDistance")
          + ") must be between 0 and 0.99, got " + distance);
    }
    intIn("language.minimumLetters", 0, 100);
    intIn("report.minimumCellSize", 1, 1000);
    intIn("privacy.defaultRetentionDays", 1, org.chorus.dialogue.Retention.MAX_DAYS);
    intIn("privacy.retentionCheckMinutes", 1, 24 * 60);
    if (bool("cluster.enabled")) {
      nonBlank("cluster.name");
      nonBlank("cluster.host");
      intIn("cluster.port", 1, 65535);
      if (strings("cluster.members").isEmpty()) {
        throw new ConfigException("cluster.members (CHORUS_CLUSTER_MEMBERS) must list the nodes as host:port, e.g. 10.0.0.1:5701,10.0.0.2:5701");
      }
      for (String member : strings("cluster.members")) {
        if (!member.matches("[A-Za-z0-9.:\\[\\]-]+:\\d{1,5}")) {
          throw new ConfigException("cluster.members: '" + member + "' must look like host:port");
        }
      }
      // Nodes share one database and must accept each other's tokens.
      if (string("database.url").isEmpty()) {
        throw new ConfigException("a cluster needs one shared PostgreSQL: set database.url (DATABASE_URL); the embedded one belongs to a single node");
      }
      if (string("auth.jwtSecret").isEmpty()) {
        throw new ConfigException("a cluster needs auth.jwtSecret (CHORUS_AUTH_JWT_SECRET), the same on every node, so that a token from one node works on all");
      }
    }
    bool("sampleData");
  }

  /** Both TLS files or neither; each readable and in PEM form, so a typo stops the start with its name. */
  private void validateTls() {
    String cert = string("http.tlsCertFile").trim();
    String key = string("http.tlsKeyFile").trim();
    if (cert.isEmpty() != key.isEmpty()) {
      throw new ConfigException("http.tlsCertFile and http.tlsKeyFile go together: set both (PEM files) to serve HTTPS, or neither for plain HTTP");
    }
    if (!cert.isEmpty()) {
      requirePem("http.tlsCertFile", cert, "-----BEGIN CERTIFICATE-----", "a PEM certificate (-----BEGIN CERTIFICATE-----)");
      requirePem("http.tlsKeyFile", key, "PRIVATE KEY-----", "a PEM private key (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA/EC PRIVATE KEY-----)");
    }
  }

  private static void requirePem(String key, String file, String marker, String what) {
    String text;
    try {
      text = Files.readString(Path.of(file), StandardCharsets.ISO_8859_1); // any bytes decode: a DER file is "not PEM", not "unreadable"
    } catch (IOException | RuntimeException e) {
      throw new ConfigException(key + " (" + envName(key) + "): cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
    }
    if (!text.contains(marker)) {
      throw new ConfigException(key + " (" + envName(key) + "): " + file + " is not " + what);
    }
  }

  /** The TLS files of the HTTP server, or {@link Tls#OFF}. */
  public Tls tls() {
    String cert = string("http.tlsCertFile").trim();
    return cert.isEmpty() ? Tls.OFF : new Tls(cert, string("http.tlsKeyFile").trim());
  }

  private Object raw(String key) {
    String[] parts = key.split("\\.");
    JsonObject node = json;
    for (int i = 0; i < parts.length - 1; i++) {
      node = node.getJsonObject(parts[i]);
    }
    return node.getValue(parts[parts.length - 1]);
  }

  private void intIn(String key, int min, int max) {
    int value = intValue(key);
    if (value < min || value > max) {
      throw new ConfigException(key + " (" + envName(key) + ") must be between " + min + " and " + max + ", got " + value);
    }
  }

  private void nonBlank(String key) {
    if (string(key).isBlank()) {
      throw new ConfigException(key + " (" + envName(key) + ") must not be empty");
    }
  }

  private static void requireHttpUrl(String key, String value) {
    try {
      URI uri = URI.create(value);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
        throw new IllegalArgumentException();
      }
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key + ": '" + value + "' must be an http(s) URL such as https://chorus.example.org");
    }
  }

  // ---- typed access -----------------------------------------------------------------------

  public int intValue(String key) {
    Object v = raw(key);
    if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
      return n.intValue();
    }
    throw new ConfigException(key + " must be a whole number, got " + v);
  }

  public double number(String key) {
    Object v = raw(key);
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    throw new ConfigException(key + " must be a number, got " + v);
  }

  public String string(String key) {
    Object v = raw(key);
    if (v instanceof String s) {
      return s;
    }
    throw new ConfigException(key + " must be a string, got " + v);
  }

  public boolean bool(String key) {
    Object v = raw(key);
    if (v instanceof Boolean b) {
      return b;
    }
    throw new ConfigException(key + " must be true or false, got " + v);
  }

  public List<String> strings(String key) {
    Object v = raw(key);
    if (!(v instanceof JsonArray array)) {
      throw new ConfigException(key + " must be a list of strings, got " + v);
    }
    List<String> out = new ArrayList<>();
    for (Object o : array) {
      if (!(o instanceof String s)) {
        throw new ConfigException(key + " must be a list of strings, found " + o);
      }
      out.add(s);
    }
    return out;
  }

  public LanguageDetection.Settings languageSettings() {
    return new LanguageDetection.Settings(strings("language.detect"),
        LanguageDetection.Accuracy.valueOf(string("language.accuracy").toUpperCase(Locale.ROOT)),
        number("language.minimumRelativeDistance"), intValue("language.minimumLetters"));
  }

  public int httpPort() {
    return intValue("http.port");
  }

  public Path dataDir() {
    return Path.of(string("dataDir"));
  }

  public boolean usesExternalDatabase() {
    return !string("database.url").isEmpty();
  }

  /** Instances of the HTTP verticle; 0 means one per core. */
  public int httpInstances() {
    int n = intValue("http.instances");
    return n > 0 ? n : Math.max(1, Runtime.getRuntime().availableProcessors());
  }

  /** The address people open; derived from the port when not configured. */
  public String publicUrl(int actualPort) {
    String configured = string("http.publicUrl");
    if (!configured.isEmpty()) {
      return configured.endsWith("/") ? configured.substring(0, configured.length() - 1) : configured;
    }
    return (tls().enabled() ? "https" : "http") + "://localhost:" + actualPort;
  }

  /** Browser origins allowed to open the live WebSocket. Defaults to the public URL and loopback. */
  public List<String> allowedOrigins(int actualPort) {
    List<String> configured = strings("http.allowedOrigins");
    if (!configured.isEmpty()) {
      return configured.stream().map(o -> o.toLowerCase(Locale.ROOT)).toList();
    }
    String scheme = tls().enabled() ? "https" : "http";
    return List.of(publicUrl(actualPort).toLowerCase(Locale.ROOT),
        scheme + "://localhost:" + actualPort, scheme + "://127.0.0.1:" + actualPort);
  }

  /** The configuration with secrets masked, for logs. */
  public JsonObject redacted() {
    JsonObject copy = json.copy();
    JsonObject auth = copy.getJsonObject("auth");
    if (!auth.getString("jwtSecret").isEmpty()) auth.put("jwtSecret", "***");
    if (!auth.getString("initialStaffPassword").isEmpty()) auth.put("initialStaffPassword", "***");
    JsonObject db = copy.getJsonObject("database");
    db.put("url", db.getString("url").replaceAll("//([^:/@]+):[^@]*@", "//$1:***@"));
    return copy;
  }
}
