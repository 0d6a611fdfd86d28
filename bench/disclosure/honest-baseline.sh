#!/usr/bin/env bash
# Rebuilds bench/disclosure/honest-rule-outcomes.tsv: for each labelled set, the outcome of the rules of the round for
# which that set was honest (written without seeing them, measured before its rows were used), so that
# DisclosureModelTrainer --baseline can compare "rules alone" with "rules OR model" on text neither had seen.
# Each commit's tree is exported to a temporary folder, compiled (offline) and run over today's copies of the sets.
#   bash bench/disclosure/honest-baseline.sh        (from the repository's root; a few minutes)
# corpus.tsv has no honest round (the rules were written beside it): the round-7 rules, a development figure.
set -euo pipefail
root=$(git rev-parse --show-toplevel)
sets="$root/src/test/resources/safeguarding"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out="$root/bench/disclosure/honest-rule-outcomes.tsv"
# set -> the last commit before the rules round that used it (its figures match the "honest" rows of docs/safeguarding.md)
declare -A round=(
  [corpus.tsv]=74cd949   # round 7 (development figure)
  [heldout.tsv]=a57d83b    # round 1, 0.800
  [heldout2.tsv]=8e0dc11   # round 2, 0.725
  [heldout3.tsv]=403195a   # round 3, 0.713
  [heldout4.tsv]=7e273b5   # round 4 (near rules), 0.663
  [heldout5.tsv]=ca9ef7b   # round 5, 0.813
  [heldout6.tsv]=76f68ab   # round 6, 0.738
  [heldout7.tsv]=74cd949  # round 7, 0.713
)
cat > "$work/OldRulesDump.java" <<'JAVA'
import org.chorus.moderation.*;
import java.nio.file.*;
import java.util.*;

/** Rule outcomes of a commit's rules over the labelled sets named: set, id, action, 1 when a disclosure rule fired. */
public class OldRulesDump {
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    SafeguardingFilter filter = SafeguardingFilter.load(Path.of("moderation-rules"));
    StringBuilder sb = new StringBuilder();
    for (int a = 1; a < args.length; a++) {
      List<String> lines = Files.readAllLines(dir.resolve(args[a]));
      List<String> header = Arrays.asList(lines.get(0).strip().split("\t"));
      for (int i = 1; i < lines.size(); i++) {
        if (lines.get(i).isBlank()) continue;
        String[] f = lines.get(i).replace("\r", "").split("\t", -1);
        Verdict v = filter.check(f[header.indexOf("text")], f[header.indexOf("lang")], f[header.indexOf("country")]);
        boolean d = v.findings().stream().anyMatch(x -> x.category() == Rule.Category.DISCLOSURE);
        sb.append(args[a]).append('\t').append(f[header.indexOf("id")]).append('\t').append(v.outcome()).append('\t').append(d ? 1 : 0).append('\n');
      }
    }
    System.out.print(sb);
  }
}
JAVA
{
  echo "# set<TAB>id<TAB>action<TAB>1 if a disclosure rule fired, from the rules of the round for which the set was honest"
  echo "# made by bench/disclosure/honest-baseline.sh; read by DisclosureModelTrainer --baseline"
} > "$out.tmp"
for set in corpus.tsv heldout.tsv heldout2.tsv heldout3.tsv heldout4.tsv heldout5.tsv heldout6.tsv heldout7.tsv; do
  commit=${round[$set]}
  tree="$work/$commit"
  if [ ! -d "$tree" ]; then
    mkdir -p "$tree"
    git -C "$root" archive "$commit" | tar -x -C "$tree"
    (cd "$tree" && mvn -q -o compile && mvn -q -o dependency:build-classpath -Dmdep.outputFile=cp.txt >/dev/null \
      && javac -d dump -cp "target/classes:$(cat cp.txt)" "$work/OldRulesDump.java")
  fi
  echo "# $set: rules of $(git -C "$root" log -1 --format='%h %ad' --date=short "$commit")" >> "$out.tmp"
  (cd "$tree" && java -cp "dump:target/classes:$(cat cp.txt)" OldRulesDump "$sets" "$set" 2>/dev/null) >> "$out.tmp"
done
mv "$out.tmp" "$out"
echo "wrote $out"
