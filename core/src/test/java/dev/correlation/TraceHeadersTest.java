package dev.correlation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.correlation.PropagatorTest.Carrier;
import dev.correlation.testing.LogCapture;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The W3C traceparent and baggage headers through the propagator, on a map carrier. */
class TraceHeadersTest {
  static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String TRACEPARENT = "00-" + TRACE + "-00f067aa0ba902b7-01";

  private final AtomicLong clock = new AtomicLong();
  private final LogCapture log = new LogCapture(CorrelationPropagator.class);

  @AfterEach
  void detach() {
    log.close();
  }

  private CorrelationPropagator propagator(Map<String, String> settings) {
    return CorrelationPropagator.create(CorrelationConfig.builder().apply(settings)
        .warnWindow(TimeUnit.MINUTES.toNanos(1), clock::get).build());
  }

  private static Carrier sized(int capacity, Object... pairs) {
    Carrier c = new Carrier(capacity);
    for (int i = 0; i < pairs.length; i += 2) {
      c.headers.put((String) pairs[i], pairs[i + 1]);
    }
    return c;
  }

  private static Carrier carrier(Object... pairs) {
    return sized(10, pairs);
  }

  private static String extractedId(CorrelationPropagator p, Carrier c) {
    return p.extract(c, PropagatorTest.GET, null).correlationId();
  }

  @Test
  void offByDefaultTheW3cHeadersAreNeitherReadNorWritten() {
    CorrelationPropagator p = propagator(Map.of());
    Carrier in = carrier("traceparent", TRACEPARENT, "baggage", "correlation_id=from-baggage");
    String id = extractedId(p, in);
    assertThat(id).isNotEqualTo(TRACE).isNotEqualTo("from-baggage");

    byte[] theirs = "a=1".getBytes(StandardCharsets.UTF_8);
    Carrier out = carrier("baggage", theirs);
    Correlation.runWith("flow", () -> p.inject(out, PropagatorTest.GET, PropagatorTest.SET));
    assertThat(out.headers).containsOnlyKeys("baggage", "X-Correlation-ID");
    assertThat(out.headers.get("baggage")).isSameAs(theirs);
  }

  @Test
  void traceparentGivesTheIdWhenOurHeaderIsAbsent() {
    CorrelationPropagator p = propagator(Map.of("correlation.traceparent", "read"));
    assertThat(extractedId(p, carrier("traceparent", TRACEPARENT))).isEqualTo(TRACE);
    assertThat(extractedId(p, carrier("traceparent", TRACEPARENT.getBytes(StandardCharsets.UTF_8))))
        .isEqualTo(TRACE);
    assertThat(log.warnings()).isEmpty();
  }

  @Test
  void ourHeaderWinsOverTraceparentAndBaggage() {
    CorrelationPropagator p = propagator(Map.of("correlation.traceparent", "read",
        "correlation.baggage", "both"));
    assertThat(extractedId(p, carrier("X-Correlation-ID", "ours", "traceparent", TRACEPARENT,
        "baggage", "correlation_id=member"))).isEqualTo("ours");
  }

  @Test
  void aBadOwnHeaderIsReplacedNotFilledFromTraceparent() {
    CorrelationPropagator p = propagator(Map.of("correlation.traceparent", "read"));
    String id = extractedId(p, carrier("X-Correlation-ID", "bad id", "traceparent", TRACEPARENT));
    assertThat(id).isNotEqualTo(TRACE).isNotEqualTo("bad id");
    assertThat(log.warnings()).singleElement().asString().startsWith("Bad correlation ID");
  }

  @Test
  void baggageMemberComesBeforeTraceparent() {
    CorrelationPropagator p = propagator(Map.of("correlation.traceparent", "read",
        "correlation.baggage", "read"));
    assertThat(extractedId(p, carrier("traceparent", TRACEPARENT,
        "baggage", "userId=alice, correlation_id = order%2D42 ;ttl=3"))).isEqualTo("order-42");
    assertThat(log.warnings()).isEmpty();
  }

  @Test
  void baggageMemberNameIsConfigurable() {
    CorrelationPropagator p = propagator(Map.of("correlation.baggage", "read",
        "correlation.baggage.member", "flow"));
    assertThat(extractedId(p, carrier("baggage", "correlation_id=not-this,flow=this")))
        .isEqualTo("this");
  }

  @Test
  void invalidTraceparentIsIgnoredWithOneEscapedWarn() {
    CorrelationPropagator p = propagator(Map.of("correlation.traceparent", "read"));
    String forged = "00-" + "0".repeat(32) + "-00f067aa0ba902b7-01\nINFO forged line";
    String id = extractedId(p, carrier("traceparent", forged));
    String again = extractedId(p, carrier("traceparent", forged));
    assertThat(id).isNotEqualTo(again).doesNotContain("0000");
    assertThat(log.warnings()).filteredOn(w -> w.startsWith("Ignored header traceparent"))
        .singleElement().asString()
        .contains("not a valid W3C traceparent", "\\nINFO for", "ignored")
        .doesNotContain("\n");
  }

  @Test
  void invalidBaggageMemberIsIgnoredWithAWarnAndTraceparentUsed() {
    CorrelationPropagator p = propagator(Map.of("correlation.traceparent", "read",
        "correlation.baggage", "read"));
    assertThat(extractedId(p, carrier("traceparent", TRACEPARENT,
        "baggage", "correlation_id=a b"))).isEqualTo(TRACE);
    assertThat(log.warnings()).singleElement().asString()
        .startsWith("Ignored header baggage (not valid W3C baggage)")
        .contains("not key=value");
  }

  @Test
  void idsFromW3cHeadersPassTheValidatorAndTransformer() {
    CorrelationPropagator p = CorrelationPropagator.create(CorrelationConfig.builder()
        .readTraceparent(true).readBaggage(true).validator(IdValidator.strictUuid())
        .transformer(id -> id.toUpperCase()).build());
    String uuid = "0f8fad5b-d9cb-469f-a165-70867728950e";
    assertThat(extractedId(p, carrier("baggage", "correlation_id=" + uuid)))
        .isEqualTo(uuid.toUpperCase());
    String id = extractedId(p, carrier("traceparent", TRACEPARENT));
    assertThat(id).isNotEqualTo(TRACE).isNotEqualTo(TRACE.toUpperCase());
    assertThat(log.warnings()).anySatisfy(w -> assertThat(w)
        .startsWith("Ignored header traceparent").contains("trace-id rejected by the validator"));
  }

  @Test
  void overlongBaggageMemberIsIgnored() {
    CorrelationPropagator p = propagator(Map.of("correlation.baggage", "read"));
    String id = extractedId(p, carrier("baggage", "correlation_id=" + "a".repeat(129)));
    assertThat(id).hasSizeLessThan(129);
    assertThat(log.warnings()).anySatisfy(w -> assertThat(w).contains("member correlation_id too long"));
  }

  @Test
  void trustIncomingOffIgnoresTheW3cHeadersToo() {
    CorrelationPropagator p = propagator(Map.of("correlation.traceparent", "read",
        "correlation.trust.incoming", "false"));
    assertThat(extractedId(p, carrier("traceparent", TRACEPARENT))).isNotEqualTo(TRACE);
  }

  @Test
  void sendAddsOurIdToBaggageKeepingTheOtherMembers() {
    CorrelationPropagator p = propagator(Map.of("correlation.baggage", "write"));
    Carrier c = carrier("baggage", "userId=alice;ttl=30,correlation_id=stale");
    Correlation.runWith("order-42", () -> p.inject(c, PropagatorTest.GET, PropagatorTest.SET));
    assertThat(c.headers).containsEntry("X-Correlation-ID", "order-42")
        .containsEntry("baggage", "userId=alice;ttl=30,correlation_id=order-42");
    assertThat(log.warnings()).isEmpty();
  }

  @Test
  void sendAtTheEdgePutsTheGeneratedIdIntoBaggage() {
    CorrelationPropagator p = propagator(Map.of("correlation.baggage", "both"));
    Carrier c = carrier();
    p.inject(c, PropagatorTest.GET, PropagatorTest.SET);
    assertThat(c.headers).containsEntry("baggage", "correlation_id=" + c.headers.get(
        "X-Correlation-ID"));
    assertThat(extractedId(p, carrier("baggage", c.headers.get("baggage"))))
        .isEqualTo(c.headers.get("X-Correlation-ID"));
  }

  @Test
  void baggageCarriesTheIdTheMessageKeeps() {
    CorrelationPropagator p = propagator(Map.of("correlation.baggage", "write"));
    Carrier c = carrier("X-Correlation-ID", "callers-own".getBytes(StandardCharsets.UTF_8));
    p.inject(c, PropagatorTest.GET, PropagatorTest.SET);
    assertThat(c.headers).containsEntry("baggage", "correlation_id=callers-own");
  }

  @Test
  void baggageIsWrittenLastSoACarrierShortOfRoomDropsItFirst() {
    CorrelationPropagator p = propagator(Map.of("correlation.baggage", "write"));
    Carrier c = sized(2);
    boolean complete = p.inject(c, PropagatorTest.GET, PropagatorTest.SET,
        CorrelationContext.of("flow", "orders-0@7", null));
    assertThat(complete).isFalse();
    assertThat(c.headers).containsOnlyKeys("X-Correlation-ID", "X-Causation-ID");
    assertThat(log.warnings()).singleElement().asString()
        .startsWith("Skipped header baggage").contains("not written to test carrier");
  }

  @Test
  void aFullBaggageHeaderIsLeftAsItWasWithAWarn() {
    CorrelationPropagator p = propagator(Map.of("correlation.baggage", "write"));
    String full = "big=" + "v".repeat(8188);
    Carrier c = carrier("baggage", full);
    Correlation.runWith("flow", () -> assertThat(
        p.inject(c, PropagatorTest.GET, PropagatorTest.SET)).isTrue());
    assertThat(c.headers).containsEntry("baggage", full).containsEntry("X-Correlation-ID", "flow");
    assertThat(log.warnings()).singleElement().asString().startsWith("Left header baggage")
        .contains("8192 bytes");
  }

  @Test
  void invalidMembersOfTheOutgoingBaggageAreLeftOutWithAWarn() {
    CorrelationPropagator p = propagator(Map.of("correlation.baggage", "write"));
    Carrier c = carrier("baggage", "a=1,broken\r\nX-Injected: yes");
    Correlation.runWith("flow", () -> p.inject(c, PropagatorTest.GET, PropagatorTest.SET));
    assertThat(c.headers).containsEntry("baggage", "a=1,correlation_id=flow");
    assertThat(log.warnings()).singleElement().asString().startsWith("Rewrote header baggage")
        .contains("\\r\\nX-Injected", "left out 1 invalid member(s)");
  }

  @Test
  void settingsParseAndShow() {
    CorrelationConfig c = CorrelationConfig.fromMap(Map.of("correlation.traceparent", "READ",
        "correlation.baggage", "both", "correlation.baggage.member", "flow_id"));
    assertThat(c.readsTraceparent()).isTrue();
    assertThat(c.readsBaggage()).isTrue();
    assertThat(c.writesBaggage()).isTrue();
    assertThat(c.baggageMember()).isEqualTo("flow_id");
    assertThat(c.toString()).contains("traceparent=read", "baggage=both", "baggageMember=flow_id");
    assertThat(c).isEqualTo(CorrelationConfig.builder().readTraceparent(true).readBaggage(true)
        .writeBaggage(true).baggageMember("flow_id").build());
    assertThat(c.hashCode()).isEqualTo(c.toBuilder().build().hashCode());
    assertThat(c).isNotEqualTo(c.toBuilder().writeBaggage(false).build());
    assertThat(c).isNotEqualTo(c.toBuilder().baggageMember("other").build());

    CorrelationConfig d = CorrelationConfig.defaults();
    assertThat(d.readsTraceparent()).isFalse();
    assertThat(d.readsBaggage()).isFalse();
    assertThat(d.writesBaggage()).isFalse();
    assertThat(d.baggageMember()).isEqualTo("correlation_id");
    assertThat(d.toString()).contains("traceparent=off", "baggage=off");
    assertThat(CorrelationConfig.fromMap(Map.of("correlation.baggage", "write")).toString())
        .contains("baggage=write");
  }

  @Test
  void badSettingsFailFastNamingTheKey() {
    assertThatThrownBy(() -> CorrelationConfig.fromMap(Map.of("correlation.traceparent", "write")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("correlation.traceparent");
    assertThatThrownBy(() -> CorrelationConfig.fromMap(Map.of("correlation.baggage", "on")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("off, read, write or both");
    assertThatThrownBy(() -> CorrelationConfig.fromMap(Map.of("correlation.baggage.member", "a b")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("token");
    assertThatThrownBy(() -> CorrelationConfig.builder().baggageMember(""))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
