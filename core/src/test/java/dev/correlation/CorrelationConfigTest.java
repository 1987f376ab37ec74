package dev.correlation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class CorrelationConfigTest {

  /** Loaded by name from configuration. */
  public static final class Reversing implements UnaryOperator<String> {
    @Override
    public String apply(String s) {
      return new StringBuilder(s).reverse().toString();
    }
  }

  @Test
  void defaultsNeedNoSetup() {
    CorrelationConfig c = CorrelationConfig.defaults();
    assertThat(c.headerName()).isEqualTo("X-Correlation-ID");
    assertThat(c.causationHeaderName()).isEqualTo("X-Causation-ID");
    assertThat(c.generator()).isSameAs(IdGenerator.randomUuid());
    assertThat(c.validator()).isSameAs(IdValidator.safeToken());
    assertThat(c.maxLength()).isEqualTo(128);
    assertThat(c.mdcEnabled()).isTrue();
    assertThat(c.mdcCorrelationKey()).isEqualTo("correlation_id");
    assertThat(c.trustIncoming()).isTrue();
    assertThat(c.generateWhenMissing()).isTrue();
    assertThat(CorrelationConfig.fromMap(Map.of())).isEqualTo(c);
  }

  @Test
  void fromMapReadsEveryStringSettingAndIgnoresOtherKeys() {
    Properties p = new Properties();
    p.setProperty("bootstrap.servers", "localhost:9092");
    p.setProperty("correlation.header.name", "trace-id");
    p.setProperty("correlation.causation.header.name", "cause-id");
    p.setProperty("correlation.generator", "ULID");
    p.setProperty("correlation.validator", "any");
    p.setProperty("correlation.transformer", Reversing.class.getName());
    p.setProperty("correlation.max.length", " 64 ");
    p.setProperty("correlation.mdc.enabled", "false");
    p.setProperty("correlation.mdc.correlation.key", "cid");
    p.setProperty("correlation.mdc.message.key", "mid");
    p.setProperty("correlation.mdc.causation.key", "caus");
    p.setProperty("correlation.trust.incoming", "false");
    p.setProperty("correlation.generate.when.missing", "FALSE");
    @SuppressWarnings({"unchecked", "rawtypes"})
    Map<String, ?> map = (Map) p;
    CorrelationConfig c = CorrelationConfig.fromMap(map);
    assertThat(c.headerName()).isEqualTo("trace-id");
    assertThat(c.causationHeaderName()).isEqualTo("cause-id");
    assertThat(c.generator()).isSameAs(IdGenerator.ulid());
    assertThat(c.validator()).isSameAs(IdValidator.acceptAny());
    assertThat(c.transformer().apply("abc")).isEqualTo("cba");
    assertThat(c.maxLength()).isEqualTo(64);
    assertThat(c.mdcEnabled()).isFalse();
    assertThat(c.mdcCorrelationKey()).isEqualTo("cid");
    assertThat(c.mdcMessageKey()).isEqualTo("mid");
    assertThat(c.mdcCausationKey()).isEqualTo("caus");
    assertThat(c.trustIncoming()).isFalse();
    assertThat(c.generateWhenMissing()).isFalse();
    assertThat(c.toBuilder().build()).isEqualTo(c).hasSameHashCodeAs(c);
    assertThat(c.toString()).contains("trace-id", "ulid", "acceptAny");
  }

  @Test
  void rejectsUnknownKeysNamingThem() {
    assertThatThrownBy(() -> CorrelationConfig.fromMap(Map.of("correlation.hedaer.name", "x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Unknown configuration key 'correlation.hedaer.name'")
        .hasMessageContaining("correlation.header.name");
  }

  @Test
  void keysListsEveryKeyFromMapAccepts() {
    assertThat(CorrelationConfig.keys()).hasSize(17).contains(CorrelationConfig.HEADER_NAME,
        CorrelationConfig.BAGGAGE_MEMBER).allMatch(key -> key.startsWith(CorrelationConfig.PREFIX));
    assertThat(CorrelationConfig.fromMap(Map.of(CorrelationConfig.MAX_LENGTH, "64")).maxLength())
        .isEqualTo(64);
  }

  @Test
  void readsEachOwnKeyThroughGetSoKafkasConfigMapsCountItAsUsed() {
    java.util.Set<Object> read = new java.util.HashSet<>();
    Map<String, Object> recording = new java.util.HashMap<>() {
      @Override
      public Object get(Object key) {
        read.add(key);
        return super.get(key);
      }
    };
    recording.put("correlation.header.name", "X-Flow");
    recording.put("correlation.max.length", "64");
    recording.put("bootstrap.servers", "localhost:9092");

    CorrelationConfig.fromMap(recording);

    assertThat(read).containsExactlyInAnyOrder("correlation.header.name", "correlation.max.length");
  }

  @Test
  void leavesModuleKeysToTheModuleAndNamesThemForATypoUnderTheModulesPrefix() {
    List<String> moduleKeys = List.of("correlation.acme.fast", "correlation.acme.loud");
    Map<String, String> map = Map.of("correlation.acme.fast", "TRUE",
        "correlation.header.name", "X-Flow");

    assertThat(CorrelationConfig.fromMap(map, moduleKeys).headerName()).isEqualTo("X-Flow");
    assertThat(CorrelationConfig.flag(map, "correlation.acme.fast", false)).isTrue();
    assertThat(CorrelationConfig.flag(map, "correlation.acme.loud", true)).isTrue();
    assertThatThrownBy(() -> CorrelationConfig.fromMap(Map.of("correlation.acme.fas", "true"),
        moduleKeys)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Unknown configuration key 'correlation.acme.fas'; the module knows "
            + "correlation.acme.fast, correlation.acme.loud");
    assertThatThrownBy(() -> CorrelationConfig.fromMap(Map.of("correlation.other.x", "true"),
        moduleKeys)).hasMessageContaining("known keys: [correlation.baggage");
    assertThatThrownBy(() -> CorrelationConfig.flag(Map.of("correlation.acme.fast", "yes"),
        "correlation.acme.fast", false)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("correlation.acme.fast").hasMessageContaining("yes");
  }

  @Test
  void rejectsNonStringValues() {
    assertThatThrownBy(() -> CorrelationConfig.fromMap(Map.of("correlation.max.length", 64)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("correlation.max.length must be a String, not java.lang.Integer 64");
  }

  @Test
  void rejectsBadValuesWithClearMessages() {
    assertBad("correlation.max.length", "lots", "not a whole number");
    assertBad("correlation.max.length", "0", "maxLength must be 1..1024");
    assertBad("correlation.mdc.enabled", "yes", "expected true or false");
    assertBad("correlation.generator", "snowflake", "uuid, uuidv7, ulid, hex32");
    assertBad("correlation.generator", "com.example.Missing", "no class com.example.Missing");
    assertBad("correlation.validator", "java.lang.String", "does not implement");
    assertBad("correlation.header.name", "has space", "letters, digits");
    assertBad("correlation.header.name", "AWS.trace", "reserved by SQS");
    assertBad("correlation.mdc.message.key", "", "is empty");
    assertThatThrownBy(() -> CorrelationConfig.fromMap(Map.of(
        "correlation.causation.header.name", "X-Correlation-ID")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must differ");
  }

  private static void assertBad(String key, String value, String message) {
    assertThatThrownBy(() -> CorrelationConfig.fromMap(Map.of(key, value)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(key + "=" + value + " is not allowed")
        .hasMessageContaining(message);
  }

  @Test
  void builderFailsFastOnNull() {
    assertThatThrownBy(() -> CorrelationConfig.builder().generator(null))
        .isInstanceOf(NullPointerException.class).hasMessage("generator == null");
    assertThatThrownBy(() -> CorrelationConfig.builder().headerName(null))
        .isInstanceOf(NullPointerException.class).hasMessage("headerName == null");
  }

  @Test
  void processWideConfigIsReplaceable() {
    Correlation.configure(CorrelationConfig.builder().generator(() -> "fixed-id").build());
    assertThat(Correlation.newId()).isEqualTo("fixed-id");
  }
}
