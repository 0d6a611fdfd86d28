package org.chorus.app;

import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Starts a Chorus node: {@code mvn -q compile exec:java} (options: --config FILE). */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) {
    Path configFile = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) {
        configFile = Path.of(args[++i]);
      } else {
        System.err.println("usage: chorus [--config chorus.json]");
        System.exit(2);
      }
    }
    ChorusConfig config;
    try {
      config = ChorusConfig.load(configFile, System.getenv());
    } catch (ConfigException e) {
      System.err.println("Chorus cannot start: configuration error: " + e.getMessage());
      System.exit(2);
      return;
    }
    LOG.info("Configuration (secrets masked): {}", config.redacted().encode());
    Vertx vertx;
    try {
      vertx = ClusterNode.vertx(config).await();
    } catch (RuntimeException e) {
      System.err.println("Chorus cannot start: could not join the cluster: " + e.getMessage());
      System.exit(1);
      return;
    }
    CountDownLatch started = new CountDownLatch(1);
    ChorusServer[] running = new ChorusServer[1];
    ChorusServer.start(vertx, config).onComplete(ar -> {
      if (ar.failed()) {
        System.err.println("Chorus cannot start: " + ar.cause().getMessage());
        LOG.debug("start failure", ar.cause());
        vertx.close();
        System.exit(1);
      }
      running[0] = ar.result();
      System.out.println(banner(config, ar.result()));
      started.countDown();
    });
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (running[0] != null) {
        CountDownLatch stopped = new CountDownLatch(1);
        running[0].stop().onComplete(ar -> vertx.close().onComplete(v -> stopped.countDown()));
        try {
          stopped.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }, "chorus-shutdown"));
  }

  static String banner(ChorusConfig config, ChorusServer server) {
    Bootstrap.Result first = server.firstStart();
    String url = server.publicUrl();
    StringBuilder b = new StringBuilder("\n");
    b.append("==============================================================\n");
    b.append(" Chorus is running  (").append(server.database().description()).append(")\n");
    b.append("==============================================================\n");
    b.append(" Children join:        ").append(url).append("/\n");
    b.append(" Facilitators:         ").append(url).append("/facilitator.html\n");
    b.append(" Staff:                ").append(url).append("/staff.html\n");
    b.append(" Health:               ").append(url).append("/health\n");
    b.append(" Staff login:          ").append(first.staffUser());
    if (first.generatedStaffPassword() != null) {
      b.append("  password: ").append(first.generatedStaffPassword()).append("   <- shown only now, write it down\n");
    } else if (!config.string("auth.initialStaffPassword").isEmpty()) {
      b.append("  (password from CHORUS_AUTH_INITIAL_STAFF_PASSWORD / config)\n");
    } else {
      b.append("  (password was shown at first start)\n");
    }
    if (first.generatedFacilitatorPassword() != null) {
      b.append(" Sample facilitator:   ").append(Bootstrap.SAMPLE_FACILITATOR).append("  password: ")
          .append(first.generatedFacilitatorPassword()).append("   <- shown only now\n");
    }
    if (first.sampleReportDialogueId() != null) {
      b.append(" Sample report (staff): ").append(url).append("/report.html?dialogues=").append(first.sampleReportDialogueId()).append('\n');
    }
    for (String code : first.joinCodes()) {
      b.append(" Join code:            ").append(code).append('\n');
    }
    b.append("==============================================================\n");
    return b.toString();
  }
}
