package dev.correlation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class IdGeneratorTest {
  private static final Pattern UUID_V4 =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  private static final Pattern UUID_V7 =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  private static final Pattern ULID = Pattern.compile("[0-7][0-9A-HJKMNP-TV-Z]{25}");
  private static final Pattern HEX32 = Pattern.compile("[0-9a-f]{32}");
  private static final String CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

  enum Kind {
    RANDOM_UUID(IdGenerator.randomUuid(), UUID_V4),
    UUID_V7_(IdGenerator.uuidV7(), UUID_V7),
    ULID_(IdGenerator.ulid(), ULID),
    HEX32_(IdGenerator.hex32(), HEX32);

    final IdGenerator generator;
    final Pattern format;

    Kind(IdGenerator generator, Pattern format) {
      this.generator = generator;
      this.format = format;
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void formatIsRightAndAMillionIdsAreUniqueAndAcceptedByTheDefaultValidator(Kind kind) {
    Set<String> seen = new HashSet<>(2_000_000);
    for (int i = 0; i < 1_000_000; i++) {
      String id = kind.generator.newId();
      if (i % 1000 == 0) {
        assertThat(id).matches(kind.format);
        assertThat(IdValidator.safeToken().isValid(id)).isTrue();
      }
      seen.add(id);
    }
    assertThat(seen).hasSize(1_000_000);
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void uniqueAcrossThreads(Kind kind) {
    Set<String> seen = ConcurrentHashMap.newKeySet();
    CompletableFuture<?>[] runs = new CompletableFuture<?>[4];
    for (int t = 0; t < runs.length; t++) {
      runs[t] = CompletableFuture.runAsync(() -> {
        for (int i = 0; i < 50_000; i++) {
          seen.add(kind.generator.newId());
        }
      });
    }
    CompletableFuture.allOf(runs).join();
    assertThat(seen).hasSize(200_000);
  }

  @Test
  void uuidV7IsStrictlyIncreasingAndCarriesTheTime() {
    long before = System.currentTimeMillis();
    String previous = "";
    for (int i = 0; i < 200_000; i++) { // many per millisecond: exercises the counter
      String id = IdGenerator.uuidV7().newId();
      assertThat(id.compareTo(previous)).as("%s after %s", id, previous).isPositive();
      previous = id;
    }
    long millis = UUID.fromString(previous).getMostSignificantBits() >>> 16;
    assertThat(millis).isBetween(before, System.currentTimeMillis() + 100);
    assertThat(UUID.fromString(previous).version()).isEqualTo(7);
    assertThat(UUID.fromString(previous).variant()).isEqualTo(2);
  }

  @Test
  void ulidIsStrictlyIncreasingAndCarriesTheTime() {
    long before = System.currentTimeMillis();
    String previous = "";
    for (int i = 0; i < 200_000; i++) {
      String id = IdGenerator.ulid().newId();
      assertThat(id.compareTo(previous)).as("%s after %s", id, previous).isPositive();
      previous = id;
    }
    long millis = 0;
    for (int i = 0; i < 10; i++) {
      millis = millis * 32 + CROCKFORD.indexOf(previous.charAt(i));
    }
    assertThat(millis).isBetween(before, System.currentTimeMillis() + 100);
  }

  @Test
  void builtInsHaveReadableNames() {
    assertThat(IdGenerator.uuidV7()).hasToString("uuidV7");
    assertThat(IdValidator.strictUuid()).hasToString("strictUuid");
  }
}
