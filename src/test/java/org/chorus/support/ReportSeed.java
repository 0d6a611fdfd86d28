package org.chorus.support;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.util.UUID;

/**
 * Volume for report tests and the export bench: {@code children} children (countries and languages in
 * turn) and {@code contributions} published contributions, written straight into PostgreSQL in one
 * statement. Small, exact scenarios go through the live room instead.
 */
public final class ReportSeed {
  static final String SEED = """
      WITH kids AS (
        INSERT INTO participants (id, dialogue_id, nickname, age_band, country, language, consent_at)
        SELECT gen_random_uuid(), $1, 'Seed ' || g, (ARRAY['9-11','12-14','15-17'])[1 + g % 3],
               ($3::text[])[1 + g % array_length($3::text[], 1)], ($4::text[])[1 + g % array_length($4::text[], 1)], now()
        FROM generate_series(1, $5) g
        RETURNING id, age_band, country, language
      ), numbered AS (
        SELECT id, age_band, country, language, row_number() OVER () AS rn FROM kids
      )
      INSERT INTO contributions (dialogue_id, prompt_id, participant_id, client_id, age_band, country, language, text, status,
                                 moderation_action, detected_language, content_language, language_source)
      SELECT $1, $2, k.id, 'seed-' || g, k.age_band, k.country, k.language,
             'Contribution ' || g || ': adults should listen to children, and schools must be safe places, "always", for everyone',
             'published', 'allow', k.language, k.language, 'detected'
      FROM generate_series(1, $6) g JOIN numbered k ON k.rn = 1 + g % $5""";

  private ReportSeed() {}

  public static Future<Void> seed(Pool pool, UUID dialogueId, long promptId, int children, int contributions,
                                  String[] countries, String[] languages) {
    return pool.preparedQuery(SEED)
        .execute(Tuple.from(new Object[] {dialogueId, promptId, countries, languages, children, contributions}))
        .mapEmpty();
  }
}
