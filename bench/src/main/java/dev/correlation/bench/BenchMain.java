package dev.correlation.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the suite with {@code -prof gc} and writes {@code results.json} (JMH) and
 * {@code results.md} (one table per benchmark class: ns/op, B/op, and for every row the ratio to
 * the floor, the bytes above the floor, and the ratio to OpenTelemetry and to the no-library
 * baseline of the same case in the same run).
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar [--smoke] [--out DIR] [--forks N] [--warmup N]
 *     [--measure N] [--seconds S] [--rounds N] [--param NAME=V1,V2] [REGEX ...]
 * </pre>
 *
 * {@code --smoke}: one short iteration per benchmark, to prove the suite compiles and runs (CI).
 * Without it: 3 warm-up and 5 measured iterations of 2 s each, one fork, unless told otherwise.
 *
 * <p>{@code --rounds N}: the whole selection N times over ({@code round-K.json} and
 * {@code round-K.md} each), then {@code results.md} with, per row, the median of the rounds'
 * scores and of the ratios each round computed between its own rows, with the rounds' lowest and
 * highest ratio. On a shared machine whose speed drifts over minutes, a ratio between two rows
 * measured minutes apart is off by the drift; rows of one round are measured close together, so
 * the per-round ratios are what to compare.
 */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] args) throws RunnerException, IOException {
    boolean smoke = false;
    Path out = Paths.get("bench", "results");
    List<String> includes = new ArrayList<>();
    int forks = 1;
    int warmup = 3;
    int measure = 5;
    int seconds = 2;
    int rounds = 1;
    Map<String, String[]> params = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--smoke" -> smoke = true;
        case "--out" -> out = Paths.get(args[++i]);
        case "--forks" -> forks = Integer.parseInt(args[++i]);
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        case "--measure" -> measure = Integer.parseInt(args[++i]);
        case "--seconds" -> seconds = Integer.parseInt(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--param" -> {
          String[] kv = args[++i].split("=", 2);
          params.put(kv[0], kv[1].split(","));
        }
        default -> includes.add(args[i]);
      }
    }
    Files.createDirectories(out);
    if (rounds > 1 && !smoke) {
      List<Collection<RunResult>> all = new ArrayList<>();
      for (int round = 1; round <= rounds; round++) {
        Collection<RunResult> results = run(out, "round-" + round, false, includes, params, forks,
            warmup, measure, seconds);
        all.add(results);
        Files.writeString(out.resolve("round-" + round + ".md"), table(results, false));
      }
      String table = Rounds.table(all);
      Files.writeString(out.resolve("results.md"), table);
      System.out.println();
      System.out.println(table);
      return;
    }
    String name = smoke ? "smoke" : "results";
    Collection<RunResult> results = run(out, name, smoke, includes, params, forks, warmup, measure,
        seconds);
    String table = table(results, smoke);
    Files.writeString(out.resolve(name + ".md"), table);
    System.out.println();
    System.out.println(table);
    System.out.println("JMH JSON: " + out.resolve(name + ".json").toAbsolutePath());
  }

  private static Collection<RunResult> run(Path out, String name, boolean smoke,
      List<String> includes, Map<String, String[]> params, int forks, int warmup, int measure,
      int seconds) throws RunnerException {
    Path json = out.resolve(name + ".json");
    ChainedOptionsBuilder options = new OptionsBuilder()
        .addProfiler(GCProfiler.class)
        .resultFormat(ResultFormatType.JSON)
        .result(json.toString())
        .shouldFailOnError(true)
        .jvmArgsAppend("-Xms1g", "-Xmx1g");
    if (includes.isEmpty()) {
      options.include("dev\\.correlation\\.bench\\..*");
    }
    for (String include : includes) {
      options.include(include);
    }
    for (Map.Entry<String, String[]> param : params.entrySet()) {
      options.param(param.getKey(), param.getValue());
    }
    if (smoke) {
      options.forks(1).warmupIterations(1).warmupTime(TimeValue.milliseconds(100))
          .measurementIterations(1).measurementTime(TimeValue.milliseconds(100));
    } else {
      options.forks(forks).warmupIterations(warmup).warmupTime(TimeValue.seconds(seconds))
          .measurementIterations(measure).measurementTime(TimeValue.seconds(seconds));
    }
    return new Runner(options.build()).run();
  }

  /** Markdown: one table per benchmark class, rows by name, ratios to the no-library baseline. */
  static String table(Collection<RunResult> results, boolean smoke) {
    Map<String, List<RunResult>> byClass = new LinkedHashMap<>();
    results.stream()
        .sorted(Comparator.comparing((RunResult r) -> r.getParams().getBenchmark()))
        .forEach(r -> byClass.computeIfAbsent(className(r), k -> new ArrayList<>()).add(r));
    StringBuilder md = new StringBuilder();
    if (smoke) {
      md.append("_Smoke run: one 100 ms iteration per benchmark after 100 ms of warm-up; the numbers mean nothing._\n\n");
    }
    for (Map.Entry<String, List<RunResult>> group : byClass.entrySet()) {
      md.append("### ").append(group.getKey()).append("\n\n");
      md.append("| benchmark | params | threads | score | ± | unit | B/op | × floor | B − floor "
          + "| × OpenTelemetry | × baseline |\n");
      md.append("| --- | --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |\n");
      for (RunResult r : group.getValue()) {
        RunResult base = peer(group.getValue(), r, "baseline");
        RunResult floor = peer(group.getValue(), r, "floor");
        RunResult otel = peer(group.getValue(), r, "openTelemetry");
        Result<?> primary = r.getPrimaryResult();
        double bytes = allocation(r);
        md.append("| ").append(method(r))
            .append(" | ").append(params(r))
            .append(" | ").append(r.getParams().getThreads())
            .append(" | ").append(num(nanos(primary.getScore(), primary.getScoreUnit())))
            .append(" | ").append(num(nanos(primary.getScoreError(), primary.getScoreUnit())))
            .append(" | ").append(unit(primary.getScoreUnit()))
            .append(" | ").append(num(bytes))
            .append(" | ").append(floor == null ? "" : ratio(primary.getScore(),
                floor.getPrimaryResult().getScore()))
            .append(" | ").append(floor == null ? "" : signed(bytes - allocation(floor)))
            .append(" | ").append(otel == null ? "" : ratio(primary.getScore(),
                otel.getPrimaryResult().getScore()))
            .append(" | ").append(base == null ? "" : ratio(primary.getScore(),
                base.getPrimaryResult().getScore()))
            .append(" |\n");
      }
      md.append('\n');
    }
    return md.toString();
  }

  /**
   * The row of contender {@code prefix} in the same case: {@code oursOne} compares with
   * {@code floorOne}, {@code ours2Threads} with {@code floor2Threads}; null if there is none.
   */
  static RunResult peer(List<RunResult> group, RunResult r, String prefix) {
    String method = method(r);
    String suffix = method.replaceFirst("^(baseline|floor|ours|openTelemetry|brave)", "");
    if (suffix.equals(method) || method.startsWith(prefix)) {
      return null; // not a contender row, or the peer itself
    }
    for (String variant : new String[] {"Open", "Decorate"}) {
      if (suffix.startsWith(variant)) {
        suffix = suffix.substring(variant.length()); // oursOpen, oursDecorateOne: ours' cases
      }
    }
    String wanted = prefix + suffix;
    for (RunResult candidate : group) {
      if (method(candidate).equals(wanted) && params(candidate).equals(params(r))
          && candidate.getParams().getThreads() == r.getParams().getThreads()) {
        return candidate;
      }
    }
    return null;
  }

  static String className(RunResult r) {
    String benchmark = r.getParams().getBenchmark();
    String cls = benchmark.substring(0, benchmark.lastIndexOf('.'));
    String pkg = BenchMain.class.getPackageName() + ".";
    return cls.startsWith(pkg) ? cls.substring(pkg.length()) : cls; // nested: Outer.Inner
  }

  static String method(RunResult r) {
    String benchmark = r.getParams().getBenchmark();
    return benchmark.substring(benchmark.lastIndexOf('.') + 1);
  }

  static String params(RunResult r) {
    StringBuilder s = new StringBuilder();
    for (String key : r.getParams().getParamsKeys()) {
      s.append(s.length() == 0 ? "" : ", ").append(key).append('=')
          .append(r.getParams().getParam(key));
    }
    return s.toString();
  }

  static double allocation(RunResult r) {
    Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
    return alloc == null ? Double.NaN : alloc.getScore();
  }

  private static String unit(String unit) {
    return unit.startsWith("ops/") ? unit : "ns/op";
  }

  /** Times per op in ns; throughput as it is. */
  static double nanos(double value, String unit) {
    if (unit.startsWith("ns")) {
      return value;
    }
    if (unit.startsWith("us")) {
      return value * 1_000;
    }
    if (unit.startsWith("ms")) {
      return value * 1_000_000;
    }
    if (unit.startsWith("ops/")) {
      return value;
    }
    return value * TimeUnit.SECONDS.toNanos(1);
  }

  static String num(double v) {
    if (Double.isNaN(v)) {
      return "";
    }
    return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
  }

  static String signed(double v) {
    if (Double.isNaN(v)) {
      return "";
    }
    return (v >= 0 ? "+" : "") + String.format(Locale.ROOT, "%.0f", v);
  }

  private static String ratio(double value, double base) {
    if (base == 0 || Double.isNaN(base) || Double.isNaN(value)) {
      return value == 0 && base == 0 ? "1.00" : "";
    }
    return String.format(Locale.ROOT, "%.2f", value / base);
  }
}
