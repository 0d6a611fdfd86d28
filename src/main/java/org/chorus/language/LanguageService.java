package org.chorus.language;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Callable;

/**
 * The detector as the server uses it: built in the background at start (the server serves meanwhile),
 * and run on a small worker pool so that Lingua never blocks an event loop. Until it is ready, or if
 * it failed to load, contributions get {@link LanguageTag#PENDING} and are tagged later.
 */
public final class LanguageService {
  private static final Logger LOG = LoggerFactory.getLogger(LanguageService.class);

  public enum State { LOADING, READY, FAILED }

  private final WorkerExecutor workers;
  private final Promise<Void> ready = Promise.promise();
  private volatile LanguageDetection detection;
  private volatile State state = State.LOADING;

  private LanguageService(WorkerExecutor workers) {
    this.workers = workers;
  }

  /** Starts loading the models; returns at once. */
  public static LanguageService start(Vertx vertx, Callable<LanguageDetection> loader) {
    int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
    LanguageService service = new LanguageService(vertx.createSharedWorkerExecutor("chorus-language", threads));
    long started = System.nanoTime();
    service.workers.executeBlocking(loader, false).onComplete(built -> {
      if (built.succeeded()) {
        service.detection = built.result();
        service.state = State.READY;
        LanguageDetection.Settings settings = built.result().settings();
        LOG.info("language detection ready for {} ({} accuracy) in {} ms", settings.languages(),
            settings.accuracy().name().toLowerCase(java.util.Locale.ROOT), (System.nanoTime() - started) / 1_000_000);
        service.ready.complete();
      } else {
        service.state = State.FAILED;
        LOG.error("language detection could not load; contributions keep the child's chosen language until a restart", built.cause());
        service.ready.fail(built.cause());
      }
    });
    return service;
  }

  public State state() {
    return state;
  }

  /** Completes when the models are loaded. */
  public Future<Void> ready() {
    return ready.future();
  }

  /** Releases this node's share of the worker pool. */
  public Future<Void> close() {
    return workers.close();
  }

  /** Detects off the event loop; {@link LanguageTag#PENDING} while the detector is not ready. Never fails. */
  public Future<LanguageTag> tag(String text, String chosenLanguage) {
    LanguageDetection d = detection;
    if (d == null) {
      return Future.succeededFuture(LanguageTag.PENDING);
    }
    return workers.executeBlocking(() -> d.tag(text, chosenLanguage), false)
        .recover(err -> {
          LOG.warn("language detection failed for one contribution; it will be tagged later", err);
          return Future.succeededFuture(LanguageTag.PENDING);
        });
  }
}
