package org.chorus.app;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.chorus.auth.AccountService;
import org.chorus.auth.AccountStore;
import org.chorus.auth.FailureCounter;
import org.chorus.auth.LoginThrottle;
import org.chorus.auth.PasswordHasher;
import org.chorus.auth.RevocationStore;
import org.chorus.auth.RevokedTokens;
import org.chorus.auth.TokenRevocation;
import org.chorus.auth.SigningKey;
import org.chorus.auth.TokenService;
import org.chorus.contribution.ContributionService;
import org.chorus.contribution.ContributionStore;
import org.chorus.contribution.ReactionBroadcaster;
import org.chorus.contribution.WarmUp;
import org.chorus.db.Database;
import org.chorus.dialogue.DialogueService;
import org.chorus.dialogue.DialogueStatistics;
import org.chorus.dialogue.DialogueStore;
import org.chorus.dialogue.JoinService;
import org.chorus.dialogue.ParticipantStore;
import org.chorus.language.LanguageDetection;
import org.chorus.language.LanguageService;
import org.chorus.live.LiveServices;
import org.chorus.live.LiveSettings;
import org.chorus.report.Regions;
import org.chorus.report.ReportService;
import org.chorus.report.ThemeStore;
import org.chorus.web.HttpVerticle;

import org.chorus.moderation.AlertService;
import org.chorus.moderation.SafeguardingFilter;
import org.chorus.privacy.ErasureService;
import org.chorus.privacy.PrivacyRoutes;
import org.chorus.privacy.PrivacySettings;
import org.chorus.privacy.RetentionJob;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * One running Chorus node: database (embedded or external), services, and the HTTP verticles.
 * {@link #start} is what {@code Main} and the tests call.
 */
public final class ChorusServer {
  private final Vertx vertx;
  private final Database database;
  private final String deploymentId;
  private final int port;
  private final String publicUrl;
  private final Bootstrap.Result firstStart;
  private static final Logger LOG = LoggerFactory.getLogger(ChorusServer.class);
  private static final int UNTAGGED_BATCH = 500;
  private static final long UNTAGGED_SWEEP_MS = 5_000;
  private static final long REACTION_INTERVAL_MS = 250;
  // About 10,000 sample messages, enough for the JIT to compile the filter and Lingua; at most 8 s of one core.
  private static final int WARM_UP_ROUNDS = 300;
  private static final long WARM_UP_BUDGET_MS = 8_000;

  private final List<Long> timers;
  private final LanguageService language;

  private ChorusServer(Vertx vertx, Database database, String deploymentId, int port, String publicUrl, Bootstrap.Result firstStart,
                       LanguageService language, List<Long> timers) {
    this.timers = timers;
    this.language = language;
    this.vertx = vertx;
    this.database = database;
    this.deploymentId = deploymentId;
    this.port = port;
    this.publicUrl = publicUrl;
    this.firstStart = firstStart;
  }

  public static Future<ChorusServer> start(Vertx vertx, ChorusConfig config) {
    return start(vertx, config, () -> LanguageDetection.build(config.languageSettings()));
  }

  /** {@code languageLoader} builds the language detector on a worker while the node already serves (tests delay it). */
  public static Future<ChorusServer> start(Vertx vertx, ChorusConfig config, Callable<LanguageDetection> languageLoader) {
    // Broken safeguarding rules stop the start before anything else: never run without them.
    return SafeguardingFilter.loadAsync(vertx, Path.of(config.string("moderation.rulesDir")), config.bool("moderation.disclosureModel")).compose(filter ->
        Database.open(vertx, config).compose(db -> {
          Future<ChorusServer> started = vertx.executeBlocking(() -> SigningKey.loadOrCreate(config.string("auth.jwtSecret"), config.dataDir()), false)
              .compose(secret -> vertx.executeBlocking(Regions::load, false)
                  .compose(regions -> wire(vertx, config, db, secret, filter, languageLoader, regions)));
          return started.recover(err -> db.close().transform(v -> Future.failedFuture(err)));
        }));
  }

  private static Future<ChorusServer> wire(Vertx vertx, ChorusConfig config, Database db, String secret, SafeguardingFilter filter,
                                           Callable<LanguageDetection> languageLoader, Regions regions) {
    var pool = db.pool();
    var bus = vertx.eventBus();
    TokenRevocation revocation = new TokenRevocation(vertx, new RevocationStore(pool), new RevokedTokens(Clock.systemUTC()));
    TokenService tokens = new TokenService(vertx, secret, config.string("auth.issuer"),
        config.intValue("auth.staffTokenMinutes"), config.intValue("auth.childTokenMinutes"), revocation);
    AccountStore accountStore = new AccountStore(pool);
    AccountService accounts = new AccountService(vertx, accountStore, new PasswordHasher(config.intValue("auth.pbkdf2Iterations")),
        tokens, new LoginThrottle(config.intValue("auth.loginFailuresBeforeBackoff"), Clock.systemUTC()));
    DialogueStore dialogueStore = new DialogueStore(pool);
    ParticipantStore participants = new ParticipantStore(pool);
    DialogueService dialogues = new DialogueService(dialogueStore, participants, new DialogueStatistics(pool), accountStore, bus);
    JoinService join = new JoinService(dialogueStore, participants, tokens,
        new FailureCounter(config.intValue("join.wrongCodesPerClient"), Duration.ofSeconds(config.intValue("join.wrongCodeWindowSeconds")), Clock.systemUTC()),
        new FailureCounter(config.intValue("join.wrongCodesGlobalPerMinute"), Duration.ofMinutes(1), Clock.systemUTC()),
        config.strings("join.ageBands"));
    LiveSettings liveSettings = LiveSettings.from(config);
    // Loads in the background: the node serves meanwhile and tags what arrived before once it is ready.
    LanguageService language = LanguageService.start(vertx, () -> warmedUp(languageLoader.call(), filter));
    ReactionBroadcaster reactions = new ReactionBroadcaster(bus);
    ContributionService contributions = new ContributionService(new ContributionStore(pool), filter, language, bus, reactions,
        liveSettings.maxContributionChars(), liveSettings.reactionKinds());
    AlertService alerts = new AlertService(pool, bus);
    LiveServices live = new LiveServices(tokens, dialogues, participants, contributions, alerts, liveSettings);
    ThemeStore themes = new ThemeStore(pool);
    ReportService reports = new ReportService(pool, regions, config.intValue("report.minimumCellSize"));
    PrivacySettings privacy = PrivacySettings.from(config);
    PrivacyRoutes.Services privacyServices = PrivacyRoutes.Services.of(pool, new ErasureService(pool, dialogues, contributions, bus), dialogues, privacy);
    HttpVerticle.Services services = new HttpVerticle.Services(tokens, accounts, dialogues, join, live, db, filter, language,
        themes, reports, privacyServices);

    int port;
    try {
      port = config.httpPort() == 0 ? freePort() : config.httpPort();
    } catch (IOException e) {
      return Future.failedFuture(e);
    }
    HttpVerticle.Edge edge = new HttpVerticle.Edge(config.string("http.host"), port, config.intValue("http.maxBodyBytes"),
        config.intValue("http.sendBufferBytes"), config.intValue("http.idleTimeoutSeconds"), config.allowedOrigins(port), config.strings("http.trustedProxies"),
        config.tls());
    Bootstrap bootstrap = new Bootstrap(config, accounts, accountStore, dialogueStore, dialogues,
        new SampleConsultation(dialogueStore, dialogues, participants, contributions, themes));
    return bootstrap.run().compose(first -> vertx.deployVerticle(
            () -> new HttpVerticle(services, edge), new DeploymentOptions().setInstances(config.httpInstances()))
        .map(id -> new ChorusServer(vertx, db, id, port, config.publicUrl(port), first, language, List.of(
            filter.watch(vertx, config.intValue("moderation.reloadSeconds") * 1000L),
            alerts.watch(vertx, config.intValue("moderation.alertEscalationSeconds")),
            tagUntaggedContributions(vertx, language, contributions),
            reactions.watch(vertx, REACTION_INTERVAL_MS),
            new RetentionJob(pool, Clock.systemUTC(), privacy.defaultRetentionDays())
                .watch(vertx, Duration.ofMinutes(privacy.retentionCheckMinutes()).toMillis())))));
  }

  /** The detector counts as ready once the contribution path is warm (see {@link WarmUp}): it is the slow part of it. */
  private static LanguageDetection warmedUp(LanguageDetection detection, SafeguardingFilter filter) {
    WarmUp.Done done = WarmUp.run(filter, detection, WARM_UP_ROUNDS, WARM_UP_BUDGET_MS);
    if (done.messages() > 0) {
      LOG.info("contribution path warmed up: {} sample messages through the filter and language detection in {} ms",
          done.messages(), done.millis());
    }
    return detection;
  }

  /**
   * Contributions stored while the detector was loading are tagged as soon as it is ready, and then by
   * a periodic sweep (which also catches one that was being stored at the moment the detector came up).
   */
  private static long tagUntaggedContributions(Vertx vertx, LanguageService language, ContributionService contributions) {
    Runnable sweep = () -> contributions.tagUntagged(UNTAGGED_BATCH)
        .onFailure(err -> LOG.warn("tagging contributions stored before language detection was ready failed; will retry", err));
    language.ready().onSuccess(v -> sweep.run());
    return vertx.setPeriodic(UNTAGGED_SWEEP_MS, t -> sweep.run());
  }

  /** Port 0 in the configuration: pick a free one (all verticle instances must share it). */
  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  public int port() {
    return port;
  }

  public String publicUrl() {
    return publicUrl;
  }

  public LanguageService language() {
    return language;
  }

  public Database database() {
    return database;
  }

  Bootstrap.Result firstStart() {
    return firstStart;
  }

  /** Stops serving, then closes the pool and the embedded database. */
  public Future<Void> stop() {
    timers.forEach(vertx::cancelTimer);
    return vertx.undeploy(deploymentId).otherwiseEmpty()
        .compose(v -> language.close().otherwiseEmpty())
        .compose(v -> database.close());
  }
}
