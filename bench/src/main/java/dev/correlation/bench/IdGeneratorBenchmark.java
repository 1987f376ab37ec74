package dev.correlation.bench;

import dev.correlation.IdGenerator;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * The cost of a new ID, one thread and two threads (UUIDv7 and ULID share one monotonic state).
 * {@code baseline} is the JDK's {@code UUID.randomUUID()}, what most code calls without us.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public abstract class IdGeneratorBenchmark {
  private static final IdGenerator RANDOM = IdGenerator.randomUuid();
  private static final IdGenerator V7 = IdGenerator.uuidV7();
  private static final IdGenerator ULID = IdGenerator.ulid();
  private static final IdGenerator HEX = IdGenerator.hex32();

  @Benchmark
  public String baseline() {
    return UUID.randomUUID().toString();
  }

  @Benchmark
  public String randomUuid() {
    return RANDOM.newId();
  }

  @Benchmark
  public String uuidV7() {
    return V7.newId();
  }

  @Benchmark
  public String ulid() {
    return ULID.newId();
  }

  @Benchmark
  public String hex32() {
    return HEX.newId();
  }

  /** One thread. */
  @Threads(1)
  public static class OneThread extends IdGeneratorBenchmark {}

  /** Two threads contending on the generators' shared state. */
  @Threads(2)
  public static class TwoThreads extends IdGeneratorBenchmark {}
}
