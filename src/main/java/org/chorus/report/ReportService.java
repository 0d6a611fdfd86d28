package org.chorus.report;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowStream;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import org.chorus.web.ApiError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Reports over one or several dialogues: aggregates (the printable page), suggested keywords, and CSV /
 * JSON exports streamed row by row from a database cursor — 100,000 contributions never sit in memory,
 * a slow client pauses the cursor, a client that goes away closes it. Everything a report shows has
 * passed {@link ReportBuilder}'s small-cell rules; only published text that no safeguarding alert was
 * raised for appears, and it is the stored (redacted) text.
 */
public final class ReportService {
  private static final Logger LOG = LoggerFactory.getLogger(ReportService.class);
  static final int FETCH = 256;
  static final String CSV_HEADER = CsvWriter.row(List.of("dialogue", "prompt_number", "prompt", "region", "age_band", "language",
      "themes", "text", "rendering"));

  public enum Format { CSV, JSON }

  private final Pool pool;
  private final Regions regions;
  private final int minimumCellSize;
  /** Staff members with an export running on this node: one at a time each. */
  private final Set<UUID> exporting = ConcurrentHashMap.newKeySet();

  public ReportService(Pool pool, Regions regions, int minimumCellSize) {
    this.pool = pool;
    this.regions = regions;
    this.minimumCellSize = minimumCellSize;
  }

  /** k from the request may only be stricter than the configured one. */
  ReportBuilder builder(String k) {
    int cell = minimumCellSize;
    if (k != null) {
      try {
        cell = Integer.parseInt(k.strip());
      } catch (NumberFormatException e) {
        throw ApiError.badRequest("invalid_field", "k must be a whole number");
      }
      if (cell < minimumCellSize || cell > 1000) {
        throw ApiError.badRequest("invalid_field", "k must be between " + minimumCellSize + " (the configured minimum) and 1000");
      }
    }
    return new ReportBuilder(regions, new SmallCells(cell));
  }

  /** The dialogues of one report and the small-cell rules it is built with. */
  public record Scope(UUID[] ids, ReportBuilder builder) {}

  /** Validates {@code ?dialogues=} and {@code ?k=}; throws a 400 {@link ApiError} naming the problem. */
  public Scope scope(String dialogues, String k) {
    return new Scope(ReportScope.parse(dialogues), builder(k));
  }

  public Future<JsonObject> aggregates(Scope scope) {
    return pool.withTransaction(conn -> requireDialogues(conn, scope.ids()).compose(v -> ReportQueries.load(conn, scope.ids())))
        .map(data -> scope.builder().aggregates(data, Instant.now()));
  }

  static final int MAX_BROWSE = 500;

  /** Approved contributions of the report's dialogues, filtered, newest first, for tagging and quoting. */
  public Future<JsonObject> browse(String dialogues, String prompt, String language, String theme, String text, String before, String limit) {
    UUID[] ids;
    Tuple args;
    try {
      ids = ReportScope.parse(dialogues);
      boolean untagged = "none".equals(theme);
      String lang = blankToNull(language);
      if (lang != null && !lang.matches("[a-z]{2,3}")) {
        throw ApiError.badRequest("invalid_field", "language must be an ISO 639-1 code such as es");
      }
      String search = blankToNull(text);
      if (search != null && search.length() > 200) {
        throw ApiError.badRequest("invalid_field", "text must be at most 200 characters");
      }
      Long max = number("limit", limit);
      args = Tuple.from(new Object[] {ids, number("prompt", prompt), lang, untagged ? null : number("theme", theme), untagged,
          search, number("before", before), max == null ? 100 : Math.min(max, MAX_BROWSE)});
    } catch (ApiError e) {
      return Future.failedFuture(e);
    }
    return pool.withTransaction(conn -> requireDialogues(conn, ids).compose(v -> conn.preparedQuery(ReportQueries.BROWSE).execute(args)))
        .map(rows -> {
          JsonArray out = new JsonArray();
          for (Row r : rows) {
            JsonArray themes = new JsonArray();
            for (String t : r.getArrayOfStrings("themes")) {
              int colon = t.indexOf(':');
              themes.add(new JsonObject().put("id", Long.parseLong(t.substring(0, colon))).put("name", t.substring(colon + 1)));
            }
            out.add(new JsonObject()
                .put("id", r.getLong("id"))
                .put("dialogueId", r.getUUID("dialogue_id").toString())
                .put("promptId", r.getLong("prompt_id"))
                .put("text", r.getString("text"))
                .put("language", r.getString("language"))
                .put("ageBand", r.getString("age_band"))
                .put("region", regions.region(r.getString("country")))
                .put("createdAt", r.getOffsetDateTime("created_at").toInstant().toString())
                .put("themes", themes)
                .put("quote", r.getBoolean("quote") ? new JsonObject().put("rendering", r.getString("rendering"))
                    .put("renderingLanguage", r.getString("rendering_language")) : null));
          }
          return new JsonObject().put("contributions", out);
        });
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  private static Long number(String name, String raw) {
    if (raw == null || raw.isBlank()) {
      return null;
    }
    try {
      long v = Long.parseLong(raw.strip());
      if (v > 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // falls through
    }
    throw ApiError.badRequest("invalid_field", name + " must be a positive whole number");
  }

  /** Per prompt and language: the words and two-word phrases most contributions share (at least 2). */
  public Future<JsonObject> suggestions(String dialogues, int limit) {
    UUID[] ids;
    try {
      ids = ReportScope.parse(dialogues);
    } catch (ApiError e) {
      return Future.failedFuture(e);
    }
    KeywordSuggester suggester = new KeywordSuggester();
    // prompt → language → contributions, in the order they were first seen
    java.util.Map<Long, java.util.Map<String, Long>> counts = new java.util.HashMap<>();
    return pool.withTransaction(conn -> requireDialogues(conn, ids)
        .compose(v -> forEachRow(conn, ReportQueries.SUGGESTION_TEXTS, Tuple.of((Object) ids), r -> {
          long prompt = r.getLong("prompt_id");
          String language = r.getString("language");
          suggester.add(prompt + "/" + language, language, r.getString("text"));
          counts.computeIfAbsent(prompt, k -> new java.util.LinkedHashMap<>()).merge(language, 1L, Long::sum);
        }))
        .compose(v -> conn.preparedQuery(ReportQueries.PROMPTS).execute(Tuple.of((Object) ids))))
        .map(prompts -> {
          JsonArray out = new JsonArray();
          for (Row p : prompts) {
            JsonArray languages = new JsonArray();
            counts.getOrDefault(p.getLong("id"), java.util.Map.of()).forEach((language, n) -> {
              String group = p.getLong("id") + "/" + language;
              languages.add(new JsonObject()
                  .put("language", language)
                  .put("contributions", n)
                  .put("words", terms(suggester.topWords(group, limit, 2)))
                  .put("phrases", terms(suggester.topPhrases(group, limit, 2))));
            });
            out.add(new JsonObject().put("dialogueId", p.getUUID("dialogue_id").toString()).put("promptId", p.getLong("id"))
                .put("position", p.getInteger("position")).put("text", p.getString("text")).put("languages", languages));
          }
          return new JsonObject().put("prompts", out);
        });
  }

  private static JsonArray terms(List<KeywordSuggester.Term> terms) {
    return new JsonArray(terms.stream().map(t -> new JsonObject().put("term", t.term()).put("contributions", t.contributions())).toList());
  }

  /**
   * Streams the export to {@code response}. Fails (before anything is sent) for a bad scope, unknown
   * dialogues or a second export of the same staff member; once streaming, a database error resets the
   * connection so that a partial file is never mistaken for a whole one.
   */
  public Future<Void> export(HttpServerResponse response, UUID staffId, Scope scope, Format format, boolean bom) {
    UUID[] ids = scope.ids();
    ReportBuilder builder = scope.builder();
    if (!exporting.add(staffId)) {
      return Future.failedFuture(ApiError.conflict("export_in_progress", "you already have an export running; wait for it to finish"));
    }
    return pool.getConnection().compose(conn -> conn.begin().compose(tx -> {
      // The staff member may start the next export as soon as this one has ended: their slot is freed at
      // once (a client that asks again right after the last byte must not get 409), the read-only
      // transaction and its connection in the background.
      Runnable release = () -> {
        exporting.remove(staffId);
        tx.rollback().onComplete(v -> conn.close());
      };
      return conn.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").execute()
          .compose(v -> requireDialogues(conn, ids))
          .compose(v -> ReportQueries.load(conn, ids))
          .compose(data -> conn.prepare(ReportQueries.ROWS).map(ps -> {
            stream(response, ps.createStream(FETCH, Tuple.of((Object) ids)), builder, data, format, bom, release);
            return (Void) null;
          }))
          .onFailure(err -> release.run());
    }).onFailure(err -> conn.close())).onFailure(err -> exporting.remove(staffId));
  }

  private void stream(HttpServerResponse response, RowStream<Row> rows, ReportBuilder builder, ReportData data, Format format,
                      boolean bom, Runnable release) {
    ReportBuilder.RowRules rules = builder.rowRules(data);
    String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmm").withZone(ZoneOffset.UTC).format(Instant.now());
    boolean[] finished = {false};
    boolean[] first = {true};
    Runnable finish = () -> {
      if (!finished[0]) {
        finished[0] = true;
        release.run();
      }
    };
    response.setChunked(true)
        .putHeader("Content-Type", format == Format.CSV ? "text/csv; charset=utf-8; header=present" : "application/json; charset=utf-8")
        .putHeader("Content-Disposition", "attachment; filename=\"chorus-report-" + stamp + (format == Format.CSV ? ".csv" : ".json") + "\"")
        .putHeader("Cache-Control", "no-store");
    response.closeHandler(v -> {
      if (!finished[0]) {
        LOG.info("export stopped: the client went away");
        rows.close();
        finish.run();
      }
    });
    if (format == Format.CSV) {
      response.write((bom ? "\uFEFF" : "") + CSV_HEADER);
    } else {
      JsonObject head = builder.aggregates(data, Instant.now());
      head.remove("charts");
      response.write("{\"report\":" + head.encode() + ",\"contributions\":[");
    }
    rows.exceptionHandler(err -> {
      LOG.error("export failed while streaming; the download is cut so that it cannot pass for complete", err);
      finish.run();
      response.reset();
    });
    rows.endHandler(v -> {
      if (!finished[0]) {
        response.end(format == Format.CSV ? "" : "]}");
        finish.run();
      }
    });
    rows.handler(row -> {
      String out = format == Format.CSV ? csv(row, rules) : (first[0] ? "" : ",") + json(row, rules).encode();
      first[0] = false;
      response.write(Buffer.buffer(out));
      if (response.writeQueueFull()) {
        rows.pause();
        response.drainHandler(d -> rows.resume());
      }
    });
  }

  private String csv(Row r, ReportBuilder.RowRules rules) {
    return CsvWriter.row(Arrays.asList(r.getString("dialogue"), Integer.toString(r.getInteger("prompt_position")),
        r.getString("prompt"), rules.region(regions, r.getString("country")), rules.ageBand(r.getString("age_band")),
        rules.language(r.getString("language")), String.join("; ", r.getArrayOfStrings("themes")), r.getString("text"),
        r.getString("rendering")));
  }

  private JsonObject json(Row r, ReportBuilder.RowRules rules) {
    return new JsonObject()
        .put("dialogue", r.getString("dialogue"))
        .put("dialogueId", r.getUUID("dialogue_id").toString())
        .put("promptNumber", r.getInteger("prompt_position"))
        .put("prompt", r.getString("prompt"))
        .put("region", rules.region(regions, r.getString("country")))
        .put("ageBand", rules.ageBand(r.getString("age_band")))
        .put("language", rules.language(r.getString("language")))
        .put("themes", new JsonArray(Arrays.asList(r.getArrayOfStrings("themes"))))
        .put("text", r.getString("text"))
        .put("rendering", r.getString("rendering"))
        .put("renderingLanguage", r.getString("rendering_language"));
  }

  /** 404 naming the ids that are not dialogues. */
  private static Future<Void> requireDialogues(SqlConnection conn, UUID[] ids) {
    return conn.preparedQuery(ReportQueries.DIALOGUES).execute(Tuple.of((Object) ids)).compose(rows -> {
      Set<UUID> found = new HashSet<>();
      rows.forEach(r -> found.add(r.getUUID("id")));
      List<String> missing = new ArrayList<>();
      for (UUID id : ids) {
        if (!found.contains(id)) {
          missing.add(id.toString());
        }
      }
      return missing.isEmpty() ? Future.succeededFuture()
          : Future.failedFuture(ApiError.notFound("dialogue_not_found", "no such dialogue: " + String.join(", ", missing)));
    });
  }

  /** Reads a query through a cursor (must run inside a transaction), row by row. */
  static Future<Void> forEachRow(SqlConnection conn, String sql, Tuple args, Consumer<Row> each) {
    return conn.prepare(sql).compose(ps -> {
      io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
      RowStream<Row> stream = ps.createStream(FETCH, args);
      stream.exceptionHandler(done::tryFail);
      stream.endHandler(v -> done.tryComplete());
      stream.handler(each::accept);
      return done.future();
    });
  }
}
