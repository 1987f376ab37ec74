package dev.correlation.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.LongString;
import com.rabbitmq.client.impl.LongStringHelper;
import dev.correlation.Correlation;
import dev.correlation.CorrelationConfig;
import dev.correlation.CorrelationContext;
import dev.correlation.Scope;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PublishTest {
  private final RabbitCorrelation rabbit = RabbitCorrelation.create();

  private AMQP.BasicProperties publishIn(String flow, AMQP.BasicProperties props) {
    return Correlation.supplyWith(flow, () -> rabbit.postProcessor().process(props));
  }

  static String text(Object headerValue) {
    if (headerValue instanceof LongString) {
      return new String(((LongString) headerValue).getBytes(), StandardCharsets.UTF_8);
    }
    if (headerValue instanceof byte[]) {
      return new String((byte[]) headerValue, StandardCharsets.UTF_8);
    }
    return String.valueOf(headerValue);
  }

  @Test
  void writesHeaderCorrelationIdAndMessageIdInsideFlow() {
    AMQP.BasicProperties out = publishIn("flow-1", new AMQP.BasicProperties());

    assertThat(text(out.getHeaders().get("X-Correlation-ID"))).isEqualTo("flow-1");
    assertThat(out.getCorrelationId()).isEqualTo("flow-1");
    assertThat(out.getMessageId()).isNotBlank();
    assertThat(out.getHeaders()).doesNotContainKey("X-Causation-ID"); // not handling a message
  }

  @Test
  void keepsCallerSetCorrelationIdPropertyForRpc() {
    AMQP.BasicProperties request = new AMQP.BasicProperties.Builder()
        .correlationId("rpc-7").replyTo("amq.rabbitmq.reply-to").build();

    AMQP.BasicProperties out = publishIn("flow-1", request);

    assertThat(out.getCorrelationId()).isEqualTo("rpc-7");
    assertThat(out.getReplyTo()).isEqualTo("amq.rabbitmq.reply-to");
    assertThat(text(out.getHeaders().get("X-Correlation-ID"))).isEqualTo("flow-1");
  }

  @Test
  void treatsEmptyCorrelationIdAndMessageIdPropertiesAsUnset() {
    AMQP.BasicProperties out = publishIn("flow-1",
        new AMQP.BasicProperties.Builder().correlationId("").messageId("").build());

    assertThat(out.getCorrelationId()).isEqualTo("flow-1");
    assertThat(out.getMessageId()).isNotEmpty();
  }

  @Test
  void keepsCallerSetMessageId() {
    AMQP.BasicProperties out = publishIn("flow-1",
        new AMQP.BasicProperties.Builder().messageId("order-42").build());

    assertThat(out.getMessageId()).isEqualTo("order-42");
  }

  @Test
  void outsideAnyFlowKeepsAValidCallerHeaderAndMirrorsItIntoEmptyProperty() {
    for (Object callerValue : List.of("caller-id", LongStringHelper.asLongString("caller-id"),
        "caller-id".getBytes(StandardCharsets.UTF_8))) {
      AMQP.BasicProperties out = rabbit.postProcessor().process(new AMQP.BasicProperties.Builder()
          .headers(Map.of("X-Correlation-ID", callerValue)).build());

      assertThat(out.getHeaders().get("X-Correlation-ID")).isSameAs(callerValue);
      assertThat(out.getCorrelationId()).isEqualTo("caller-id");
    }
  }

  @Test
  void insideAFlowReplacesTheHeaderOfRepublishedProperties() {
    AMQP.BasicProperties received = new AMQP.BasicProperties.Builder()
        .headers(Map.of("X-Correlation-ID", LongStringHelper.asLongString("raw incoming"),
            "X-Causation-ID", LongStringHelper.asLongString("older"), "tenant", "acme"))
        .messageId("msg-7").build();

    AMQP.BasicProperties out = Correlation.supplyWith(
        CorrelationContext.of("flow-1", "msg-7", "older"),
        () -> rabbit.postProcessor().process(received));

    assertThat(text(out.getHeaders().get("X-Correlation-ID"))).isEqualTo("flow-1");
    assertThat(text(out.getHeaders().get("X-Causation-ID"))).isEqualTo("msg-7");
    assertThat(out.getHeaders()).containsEntry("tenant", "acme");
    assertThat(out.getMessageId()).as("not its own cause").isNotEqualTo("msg-7").isNotBlank();
  }

  @Test
  void explicitPropertiesCarryTheGivenFlowAndTheChannelLeavesThemAlone() {
    AMQP.BasicProperties forB = rabbit.inject(null,
        CorrelationContext.of("flow-b", "payments-3", null));

    AMQP.BasicProperties out = Correlation.supplyWith(
        CorrelationContext.of("flow-a", "orders-1", null),
        () -> rabbit.postProcessor().process(forB));

    assertThat(text(out.getHeaders().get("X-Correlation-ID"))).isEqualTo("flow-b");
    assertThat(text(out.getHeaders().get("X-Causation-ID"))).isEqualTo("payments-3");
    assertThat(out.getCorrelationId()).isEqualTo("flow-b");
    assertThat(out.getMessageId()).isEqualTo(forB.getMessageId()).isNotBlank();
  }

  @Test
  void aThrowingGeneratorNeverBreaksAPublish() {
    RabbitCorrelation broken = RabbitCorrelation.create(CorrelationConfig.builder()
        .generator(() -> {
          throw new IllegalStateException("no ids");
        }).build());

    AMQP.BasicProperties atTheEdge = broken.postProcessor().process(new AMQP.BasicProperties());
    AMQP.BasicProperties inAFlow = Correlation.supplyWith("flow-1",
        () -> broken.postProcessor().process(new AMQP.BasicProperties()));

    assertThat(atTheEdge.getMessageId()).matches("[0-9a-f-]{36}");
    assertThat(text(atTheEdge.getHeaders().get("X-Correlation-ID"))).matches("[0-9a-f-]{36}");
    assertThat(inAFlow.getMessageId()).matches("[0-9a-f-]{36}");
  }

  @Test
  void outsideAnyFlowReplacesAnInvalidCallerHeader() {
    String tooLong = "x".repeat(256);
    AMQP.BasicProperties longOne = rabbit.postProcessor().process(new AMQP.BasicProperties
        .Builder().headers(Map.of("X-Correlation-ID", tooLong)).build());
    AMQP.BasicProperties number = rabbit.postProcessor().process(new AMQP.BasicProperties
        .Builder().headers(Map.of("X-Correlation-ID", 42)).build());

    assertThat(text(longOne.getHeaders().get("X-Correlation-ID"))).matches("[0-9a-f-]{36}");
    assertThat(longOne.getCorrelationId()).matches("[0-9a-f-]{36}");
    assertThat(text(number.getHeaders().get("X-Correlation-ID"))).matches("[0-9a-f-]{36}");
  }

  @Test
  void keepsEveryOtherHeaderAndPropertyAndLeavesCallerMapAlone() {
    Map<String, Object> callerHeaders = Map.of("tenant", "acme", "retries", 3);
    Date timestamp = new Date(1_700_000_000_000L);
    AMQP.BasicProperties in = new AMQP.BasicProperties.Builder()
        .contentType("application/json").contentEncoding("utf-8").headers(callerHeaders)
        .deliveryMode(2).priority(5).replyTo("replies").expiration("60000").timestamp(timestamp)
        .type("OrderPlaced").userId("guest").appId("shop").clusterId("c1").build();

    AMQP.BasicProperties out = publishIn("flow-1", in);

    assertThat(out.getHeaders()).containsEntry("tenant", "acme").containsEntry("retries", 3)
        .containsKey("X-Correlation-ID").hasSize(3);
    assertThat(out.getContentType()).isEqualTo("application/json");
    assertThat(out.getContentEncoding()).isEqualTo("utf-8");
    assertThat(out.getDeliveryMode()).isEqualTo(2);
    assertThat(out.getPriority()).isEqualTo(5);
    assertThat(out.getReplyTo()).isEqualTo("replies");
    assertThat(out.getExpiration()).isEqualTo("60000");
    assertThat(out.getTimestamp()).isEqualTo(timestamp);
    assertThat(out.getType()).isEqualTo("OrderPlaced");
    assertThat(out.getUserId()).isEqualTo("guest");
    assertThat(out.getAppId()).isEqualTo("shop");
    assertThat(out.getClusterId()).isEqualTo("c1");
    assertThat(in.getHeaders()).isEqualTo(callerHeaders); // the caller's properties are untouched
    assertThat(in.getCorrelationId()).isNull();
    assertThat(in.getMessageId()).isNull();
  }

  @Test
  void writesCausationWhileHandlingMessageReplacingStaleCopy() {
    Map<String, Object> forwarded = new HashMap<>();
    forwarded.put("X-Causation-ID", "stale-cause");
    AMQP.BasicProperties out;
    Scope scope = Correlation.open(CorrelationContext.of("flow-1", "msg-1", "msg-0"));
    try {
      out = rabbit.postProcessor().process(
          new AMQP.BasicProperties.Builder().headers(forwarded).build());
    } finally {
      scope.close();
    }

    assertThat(text(out.getHeaders().get("X-Causation-ID"))).isEqualTo("msg-1");
    assertThat(text(out.getHeaders().get("X-Correlation-ID"))).isEqualTo("flow-1");
    assertThat(out.getMessageId()).isNotEqualTo("msg-1");
  }

  @Test
  void startsNewFlowPerMessageAtTheEdge() {
    AMQP.BasicProperties first = rabbit.postProcessor().process(new AMQP.BasicProperties());
    AMQP.BasicProperties second = rabbit.postProcessor().process(new AMQP.BasicProperties());

    String firstId = text(first.getHeaders().get("X-Correlation-ID"));
    assertThat(firstId).isNotBlank().isEqualTo(first.getCorrelationId());
    assertThat(text(second.getHeaders().get("X-Correlation-ID"))).isNotEqualTo(firstId);
    assertThat(first.getMessageId()).isNotEqualTo(second.getMessageId());
  }

  @Test
  void sendsWithoutIdOutsideFlowWhenGenerationIsOff() {
    RabbitCorrelation quiet = RabbitCorrelation.create(
        CorrelationConfig.builder().generateWhenMissing(false).build());

    AMQP.BasicProperties out = quiet.postProcessor().process(new AMQP.BasicProperties());

    assertThat(out.getHeaders()).isNull(); // none given, none added
    assertThat(out.getCorrelationId()).isNull();
    assertThat(out.getMessageId()).isNotBlank(); // message IDs are not flow IDs: always set
  }

  @Test
  void usesConfiguredHeaderNamesAndGenerator() {
    RabbitCorrelation custom = RabbitCorrelation.create(CorrelationConfig.builder()
        .headerName("X-Request-ID").causationHeaderName("X-Caused-By")
        .generator(() -> "generated-1").build());

    AMQP.BasicProperties out;
    Scope scope = Correlation.open(CorrelationContext.of("flow-1", "msg-1", null));
    try {
      out = custom.postProcessor().process(new AMQP.BasicProperties());
    } finally {
      scope.close();
    }

    assertThat(text(out.getHeaders().get("X-Request-ID"))).isEqualTo("flow-1");
    assertThat(text(out.getHeaders().get("X-Caused-By"))).isEqualTo("msg-1");
    assertThat(out.getHeaders()).doesNotContainKeys("X-Correlation-ID", "X-Causation-ID");
    assertThat(out.getMessageId()).isEqualTo("generated-1");
  }

  @Test
  void fallsBackToRandomUuidWhenGeneratorMakesUnsendableMessageId() {
    RabbitCorrelation odd = RabbitCorrelation.create(
        CorrelationConfig.builder().generator(() -> "has space").build());

    AMQP.BasicProperties out = odd.postProcessor().process(new AMQP.BasicProperties());

    assertThat(out.getMessageId()).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-"
        + "[0-9a-f]{12}");
  }

  @Test
  void followsProcessWideConfigAsItChanges() {
    RabbitCorrelation following = RabbitCorrelation.create();
    Correlation.configure(CorrelationConfig.builder().headerName("X-Flow").build());

    AMQP.BasicProperties out = publishWith(following, "flow-1");

    assertThat(out.getHeaders()).containsKey("X-Flow").doesNotContainKey("X-Correlation-ID");
  }

  private static AMQP.BasicProperties publishWith(RabbitCorrelation r, String flow) {
    return Correlation.supplyWith(flow,
        () -> r.postProcessor().process(new AMQP.BasicProperties()));
  }

  @Test
  void runsAddedPostProcessorsAfterOursInOrder() {
    List<String> seen = new ArrayList<>();
    RabbitCorrelation chained = RabbitCorrelation.builder()
        .addPostProcessor(props -> {
          seen.add("first saw " + props.getCorrelationId());
          return props.builder().appId("shop").build();
        })
        .addPostProcessor(props -> {
          seen.add("second saw " + props.getAppId());
          return props.builder().type("OrderPlaced").build();
        })
        .build();

    AMQP.BasicProperties out = publishWith(chained, "flow-1");

    assertThat(seen).containsExactly("first saw flow-1", "second saw shop");
    assertThat(out.getType()).isEqualTo("OrderPlaced");
    assertThat(out.getCorrelationId()).isEqualTo("flow-1");
  }

  @Test
  void composesWithAndThen() {
    PropertiesPostProcessor appId = props -> props.builder().appId("shop").build();
    PropertiesPostProcessor both = appId.andThen(rabbit.postProcessor());

    AMQP.BasicProperties out = Correlation.supplyWith("flow-1",
        () -> both.process(new AMQP.BasicProperties()));

    assertThat(out.getAppId()).isEqualTo("shop");
    assertThat(out.getCorrelationId()).isEqualTo("flow-1");
    assertThatThrownBy(() -> appId.andThen(null))
        .isInstanceOf(NullPointerException.class).hasMessage("next == null");
  }

  @Test
  void rejectsNullConfigurationAtOnce() {
    assertThatThrownBy(() -> RabbitCorrelation.create(null))
        .isInstanceOf(NullPointerException.class).hasMessage("config == null");
    assertThatThrownBy(() -> RabbitCorrelation.builder().addPostProcessor(null))
        .isInstanceOf(NullPointerException.class).hasMessage("postProcessor == null");
  }
}
