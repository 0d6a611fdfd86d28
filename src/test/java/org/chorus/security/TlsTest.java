package org.chorus.security;

import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.chorus.app.ChorusConfig;
import org.chorus.app.ConfigException;
import org.chorus.support.TestServer;
import org.chorus.web.SecurityHeaders;
import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.chorus.support.Blocking.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Optional TLS from PEM files: both files or neither, each checked at start with a message naming the key;
 * with them the node speaks only HTTPS and WSS (with HSTS), verified against the test-only certificate.
 */
class TlsTest {
  static Path resource(String name) {
    try {
      return Path.of(TlsTest.class.getResource("/tls/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static final Path CERT = resource("test-only-localhost.cert.pem");
  static final Path KEY = resource("test-only-localhost.key.pem");

  static String startError(String cert, String key) {
    JsonObject overrides = new JsonObject().put("http", new JsonObject().put("tlsCertFile", cert).put("tlsKeyFile", key));
    return assertThrows(ConfigException.class, () -> ChorusConfig.of(overrides)).getMessage();
  }

  @Test
  void badTlsSettingsStopTheStartWithAClearMessage() {
    assertTrue(startError(CERT.toString(), "").contains("http.tlsCertFile and http.tlsKeyFile go together"));
    assertTrue(startError("", KEY.toString()).contains("go together"));
    String missing = startError("/nonexistent/cert.pem", KEY.toString());
    assertTrue(missing.startsWith("http.tlsCertFile (CHORUS_HTTP_TLS_CERT_FILE): cannot read /nonexistent/cert.pem"), missing);
    String notPem = startError(resource("README.md").toString(), KEY.toString());
    assertTrue(notPem.contains("is not a PEM certificate"), notPem);
    String swapped = startError(CERT.toString(), CERT.toString());
    assertTrue(swapped.startsWith("http.tlsKeyFile") && swapped.contains("is not a PEM private key"), swapped);
    ChorusConfig plain = ChorusConfig.of(new JsonObject());
    assertTrue(!plain.tls().enabled() && plain.publicUrl(8080).equals("http://localhost:8080"));
  }

  @Test
  void withTheFilesTheNodeSpeaksHttpsAndWssWithHsts() throws Exception {
    try (TestServer server = TestServer.start(c -> c.getJsonObject("http")
        .put("tlsCertFile", CERT.toString()).put("tlsKeyFile", KEY.toString()))) {
      assertEquals("https://localhost:" + server.port(), server.server().publicUrl());
      WebClient https = WebClient.create(server.vertx, new WebClientOptions().setSsl(true).setVerifyHost(true)
          .setTrustOptions(new PemTrustOptions().addCertPath(CERT.toString())).setDefaultHost("localhost").setDefaultPort(server.port()));
      HttpResponse<?> health = await(https.get("/health").send());
      assertEquals(200, health.statusCode());
      assertEquals(SecurityHeaders.CONTENT_SECURITY_POLICY, health.getHeader("Content-Security-Policy"));
      assertEquals("max-age=31536000", health.getHeader("Strict-Transport-Security"), "HSTS once TLS is on");
      assertEquals(200, await(https.get("/").send()).statusCode());

      var wss = server.vertx.createWebSocketClient(new WebSocketClientOptions().setSsl(true).setVerifyHost(true)
          .setTrustOptions(new PemTrustOptions().addCertPath(CERT.toString())));
      WebSocket ws = await(wss.connect(new WebSocketConnectOptions().setHost("localhost").setPort(server.port()).setURI("/live")
          .setSsl(true).addHeader("Origin", "https://localhost:" + server.port())));
      CompletableFuture<String> pong = new CompletableFuture<>();
      ws.textMessageHandler(pong::complete);
      ws.writeTextMessage("{\"type\":\"ping\",\"ref\":1}");
      assertEquals("pong", new JsonObject(pong.get(10, TimeUnit.SECONDS)).getString("type"));
      await(ws.close());

      WebClient plain = WebClient.create(server.vertx, new WebClientOptions().setDefaultHost("localhost").setDefaultPort(server.port()));
      assertThrows(RuntimeException.class, () -> await(plain.get("/health").send(), 10), "no plain HTTP on a TLS port");
      https.close();
      plain.close();
    }
  }
}
