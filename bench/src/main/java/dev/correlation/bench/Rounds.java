package dev.correlation.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

/**
 * The table of a run made of several rounds ({@code --rounds}): per row, the median over the
 * rounds of its score and B/op, and the median, lowest and highest of the ratios each round
 * computed between its own rows (to the floor, to OpenTelemetry).
 */
final class Rounds {
  private Rounds() {}

  static String table(List<Collection<RunResult>> rounds) {
    // row key -> one result per round, in round order
    Map<String, List<RunResult>> rows = new LinkedHashMap<>();
    Map<String, List<List<RunResult>>> groups = new LinkedHashMap<>(); // class -> rounds' rows
    for (Collection<RunResult> round : rounds) {
      Map<String, List<RunResult>> byClass = new LinkedHashMap<>();
      round.stream()
          .sorted(Comparator.comparing((RunResult r) -> r.getParams().getBenchmark()))
          .forEach(r -> {
            byClass.computeIfAbsent(BenchMain.className(r), k -> new ArrayList<>()).add(r);
            rows.computeIfAbsent(key(r), k -> new ArrayList<>()).add(r);
          });
      byClass.forEach((cls, list) -> groups.computeIfAbsent(cls, k -> new ArrayList<>())
          .add(list));
    }
    StringBuilder md = new StringBuilder();
    md.append("_").append(rounds.size()).append(" rounds: median of the rounds; ratios are "
        + "computed within each round, median [lowest – highest]._\n\n");
    for (Map.Entry<String, List<List<RunResult>>> group : groups.entrySet()) {
      md.append("### ").append(group.getKey()).append("\n\n");
      md.append("| benchmark | params | threads | score (median) | rounds' scores | unit | B/op "
          + "| × floor | B − floor | × OpenTelemetry |\n");
      md.append("| --- | --- | ---: | ---: | --- | --- | ---: | ---: | ---: | ---: |\n");
      List<String> keys = new ArrayList<>();
      for (RunResult r : group.getValue().get(0)) {
        keys.add(key(r));
      }
      for (String key : keys) {
        List<RunResult> perRound = rows.get(key);
        RunResult first = perRound.get(0);
        List<Double> scores = new ArrayList<>();
        List<Double> bytes = new ArrayList<>();
        List<Double> toFloor = new ArrayList<>();
        List<Double> overFloor = new ArrayList<>();
        List<Double> toOtel = new ArrayList<>();
        for (int i = 0; i < perRound.size(); i++) {
          RunResult r = perRound.get(i);
          List<RunResult> roundRows = group.getValue().get(i);
          Result<?> primary = r.getPrimaryResult();
          scores.add(BenchMain.nanos(primary.getScore(), primary.getScoreUnit()));
          bytes.add(BenchMain.allocation(r));
          RunResult floor = BenchMain.peer(roundRows, r, "floor");
          if (floor != null) {
            toFloor.add(primary.getScore() / floor.getPrimaryResult().getScore());
            overFloor.add(BenchMain.allocation(r) - BenchMain.allocation(floor));
          }
          RunResult otel = BenchMain.peer(roundRows, r, "openTelemetry");
          if (otel != null) {
            toOtel.add(primary.getScore() / otel.getPrimaryResult().getScore());
          }
        }
        md.append("| ").append(BenchMain.method(first))
            .append(" | ").append(BenchMain.params(first))
            .append(" | ").append(first.getParams().getThreads())
            .append(" | ").append(BenchMain.num(median(scores)))
            .append(" | ").append(list(scores))
            .append(" | ").append(first.getPrimaryResult().getScoreUnit().startsWith("ops/")
                ? first.getPrimaryResult().getScoreUnit() : "ns/op")
            .append(" | ").append(BenchMain.num(median(bytes)))
            .append(" | ").append(spread(toFloor))
            .append(" | ").append(overFloor.isEmpty() ? "" : BenchMain.signed(median(overFloor)))
            .append(" | ").append(spread(toOtel))
            .append(" |\n");
      }
      md.append('\n');
    }
    return md.toString();
  }

  private static String key(RunResult r) {
    return r.getParams().getBenchmark() + '|' + BenchMain.params(r) + '|'
        + r.getParams().getThreads();
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.removeIf(v -> Double.isNaN(v));
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    sorted.sort(null);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static String list(List<Double> values) {
    StringBuilder s = new StringBuilder();
    for (double v : values) {
      s.append(s.length() == 0 ? "" : ", ").append(BenchMain.num(v));
    }
    return s.toString();
  }

  private static String spread(List<Double> ratios) {
    if (ratios.isEmpty()) {
      return "";
    }
    return String.format(Locale.ROOT, "%.2f [%.2f – %.2f]", median(ratios),
        ratios.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
        ratios.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN));
  }
}
