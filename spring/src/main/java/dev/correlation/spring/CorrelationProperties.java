package dev.correlation.spring;

import dev.correlation.CorrelationConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code correlation.*} keys of {@code application.yml} / {@code application.properties}: every
 * key of {@link CorrelationConfig#fromMap(Map)}, under the same name, plus one switch per
 * integration. A key left out keeps the library's default. The nesting mirrors the dotted key
 * names ({@code correlation.max.length} is {@link #getMax()}{@code .length}), so the keys are the
 * ones the rest of the library documents, and IDEs complete them from Boot's metadata.
 *
 * <p>Values are checked by {@link CorrelationConfig#fromMap}, when the application context starts:
 * a bad value fails the start with a message naming the key. A mutable bean, as Boot's binding
 * needs; not thread safe, read once at start-up.
 */
@ConfigurationProperties(prefix = "correlation")
public final class CorrelationProperties {
  private final Header header = new Header();
  private final Causation causation = new Causation();
  /**
   * How new IDs are made: uuid, uuidv7, ulid, hex32, or the name of an IdGenerator class with a
   * public no-argument constructor. Default uuid.
   */
  private @Nullable String generator;
  /**
   * Which incoming IDs are used: safe (1 to 128 characters of [A-Za-z0-9._:+/=-]), uuid, any, or
   * the name of an IdValidator class. Default safe.
   */
  private @Nullable String validator;
  /**
   * Applied to valid incoming IDs: none, lowercase, uppercase, or the name of a
   * UnaryOperator&lt;String&gt; class. Default none.
   */
  private @Nullable String transformer;
  private final Max max = new Max();
  private final Mdc mdc = new Mdc();
  private final Trust trust = new Trust();
  private final Generate generate = new Generate();
  private final Switch kafka = new Switch();
  private final Rabbitmq rabbitmq = new Rabbitmq();
  /**
   * W3C Trace Context on receive: off, or read (when our header is absent, the trace-id of a valid
   * traceparent header becomes the flow's ID). Default off.
   */
  private @Nullable String traceparent;
  private final Sqs sqs = new Sqs();

  /** Creates the properties with every key unset (the library's defaults). */
  public CorrelationProperties() {}

  /**
   * The {@code correlation.*} keys that are set, as {@link CorrelationConfig#fromMap} takes them;
   * the integration switches are not among them.
   */
  public Map<String, String> toMap() {
    Map<String, String> map = new LinkedHashMap<>();
    put(map, CorrelationConfig.HEADER_NAME, header.name);
    List<String> aliases = header.aliases;
    put(map, CorrelationConfig.HEADER_ALIASES, aliases == null ? null : String.join(",", aliases));
    put(map, CorrelationConfig.HEADER_IGNORE_CASE, header.ignoreCase);
    put(map, CorrelationConfig.CAUSATION_HEADER_NAME, causation.header.name);
    put(map, CorrelationConfig.TRACEPARENT, traceparent);
    put(map, CorrelationConfig.GENERATOR, generator);
    put(map, CorrelationConfig.VALIDATOR, validator);
    put(map, CorrelationConfig.TRANSFORMER, transformer);
    put(map, CorrelationConfig.MAX_LENGTH, max.length);
    put(map, CorrelationConfig.MDC_ENABLED, mdc.enabled);
    put(map, CorrelationConfig.MDC_CORRELATION_KEY, mdc.correlation.key);
    put(map, CorrelationConfig.MDC_MESSAGE_KEY, mdc.message.key);
    put(map, CorrelationConfig.MDC_CAUSATION_KEY, mdc.causation.key);
    put(map, CorrelationConfig.TRUST_INCOMING, trust.incoming);
    put(map, CorrelationConfig.GENERATE_WHEN_MISSING, generate.when.missing);
    return map;
  }

  /**
   * The configuration these properties describe.
   *
   * @throws IllegalArgumentException naming the key, for a value the library does not allow
   */
  public CorrelationConfig toConfig() {
    return CorrelationConfig.fromMap(toMap());
  }

  private static void put(Map<String, String> map, String key, @Nullable Object value) {
    if (value != null) {
      map.put(key, value.toString());
    }
  }

  /** {@code correlation.header.*}. */
  public Header getHeader() {
    return header;
  }

  /** {@code correlation.causation.*}. */
  public Causation getCausation() {
    return causation;
  }

  /** {@code correlation.generator}, or null when unset. */
  public @Nullable String getGenerator() {
    return generator;
  }

  /** Sets {@code correlation.generator}; checked when the context starts. */
  public void setGenerator(@Nullable String generator) {
    this.generator = generator;
  }

  /** {@code correlation.validator}, or null when unset. */
  public @Nullable String getValidator() {
    return validator;
  }

  /** Sets {@code correlation.validator}; checked when the context starts. */
  public void setValidator(@Nullable String validator) {
    this.validator = validator;
  }

  /** {@code correlation.transformer}, or null when unset. */
  public @Nullable String getTransformer() {
    return transformer;
  }

  /** Sets {@code correlation.transformer}; checked when the context starts. */
  public void setTransformer(@Nullable String transformer) {
    this.transformer = transformer;
  }

  /** {@code correlation.max.*}. */
  public Max getMax() {
    return max;
  }

  /** {@code correlation.mdc.*}. */
  public Mdc getMdc() {
    return mdc;
  }

  /** {@code correlation.trust.*}. */
  public Trust getTrust() {
    return trust;
  }

  /** {@code correlation.generate.*}. */
  public Generate getGenerate() {
    return generate;
  }

  /** {@code correlation.kafka.*}: the Spring Kafka integration. */
  public Switch getKafka() {
    return kafka;
  }

  /** {@code correlation.rabbitmq.*}: the Spring AMQP integration. */
  public Rabbitmq getRabbitmq() {
    return rabbitmq;
  }

  /** {@code correlation.traceparent}, or null when unset. */
  public @Nullable String getTraceparent() {
    return traceparent;
  }

  /** Sets {@code correlation.traceparent}; checked when the context starts. */
  public void setTraceparent(@Nullable String traceparent) {
    this.traceparent = traceparent;
  }

  /** {@code correlation.sqs.*}: the Spring Cloud AWS SQS integration. */
  public Sqs getSqs() {
    return sqs;
  }

  /** {@code correlation.header.*}. */
  public static final class Header {
    /**
     * Name of the header (Kafka header, AMQP header, SQS message attribute) carrying the ID.
     * Default X-Correlation-ID.
     */
    private @Nullable String name;
    /**
     * Other names read on receive, in order, when the main header is absent (e.g.
     * x-correlation-id, CORRELATION_ID); never written. Default none.
     */
    private @Nullable List<String> aliases;
    /** Whether receive matches the header name and its aliases ignoring case. Default false. */
    private @Nullable Boolean ignoreCase;

    /** Creates it unset. */
    public Header() {}

    /** The header name, or null when unset. */
    public @Nullable String getName() {
      return name;
    }

    /** Sets the header name; checked when the context starts. */
    public void setName(@Nullable String name) {
      this.name = name;
    }

    /** {@code correlation.header.aliases}, or null when unset. */
    public @Nullable List<String> getAliases() {
      return aliases;
    }

    /** Sets {@code correlation.header.aliases}; checked when the context starts. */
    public void setAliases(@Nullable List<String> aliases) {
      this.aliases = aliases;
    }

    /** {@code correlation.header.ignore-case}, or null when unset. */
    public @Nullable Boolean getIgnoreCase() {
      return ignoreCase;
    }

    /** Sets {@code correlation.header.ignore-case}. */
    public void setIgnoreCase(@Nullable Boolean ignoreCase) {
      this.ignoreCase = ignoreCase;
    }
  }

  /** {@code correlation.causation.header.*}. */
  public static final class CausationHeader {
    /** Name of the header carrying the causation ID. Default X-Causation-ID. */
    private @Nullable String name;

    /** Creates it unset. */
    public CausationHeader() {}

    /** The header name, or null when unset. */
    public @Nullable String getName() {
      return name;
    }

    /** Sets the header name; checked when the context starts. */
    public void setName(@Nullable String name) {
      this.name = name;
    }
  }

  /** {@code correlation.causation.*}. */
  public static final class Causation {
    private final CausationHeader header = new CausationHeader();

    /** Creates it unset. */
    public Causation() {}

    /** {@code correlation.causation.header.*}. */
    public CausationHeader getHeader() {
      return header;
    }
  }

  /** {@code correlation.max.*}. */
  public static final class Max {
    /** Longest incoming ID accepted, 1 to 1024. Default 128. */
    private @Nullable Integer length;

    /** Creates it unset. */
    public Max() {}

    /** {@code correlation.max.length}, or null when unset. */
    public @Nullable Integer getLength() {
      return length;
    }

    /** Sets {@code correlation.max.length}; checked when the context starts. */
    public void setLength(@Nullable Integer length) {
      this.length = length;
    }
  }

  /** {@code correlation.mdc.*}. */
  public static final class Mdc {
    /** Whether the flow is written to the SLF4J MDC while a message is handled. Default true. */
    private @Nullable Boolean enabled;
    private final MdcKey correlation = new MdcKey();
    private final MdcKey message = new MdcKey();
    private final MdcKey causation = new MdcKey();

    /** Creates it unset. */
    public Mdc() {}

    /** {@code correlation.mdc.enabled}, or null when unset. */
    public @Nullable Boolean getEnabled() {
      return enabled;
    }

    /** Sets {@code correlation.mdc.enabled}. */
    public void setEnabled(@Nullable Boolean enabled) {
      this.enabled = enabled;
    }

    /** {@code correlation.mdc.correlation.*}. */
    public MdcKey getCorrelation() {
      return correlation;
    }

    /** {@code correlation.mdc.message.*}. */
    public MdcKey getMessage() {
      return message;
    }

    /** {@code correlation.mdc.causation.*}. */
    public MdcKey getCausation() {
      return causation;
    }
  }

  /** {@code correlation.mdc.correlation.key} and its two siblings. */
  public static final class MdcKey {
    /**
     * MDC key. Defaults: correlation_id, message_id, causation_id; the three must differ.
     */
    private @Nullable String key;

    /** Creates it unset. */
    public MdcKey() {}

    /** The MDC key, or null when unset. */
    public @Nullable String getKey() {
      return key;
    }

    /** Sets the MDC key; checked when the context starts. */
    public void setKey(@Nullable String key) {
      this.key = key;
    }
  }

  /** {@code correlation.trust.*}. */
  public static final class Trust {
    /** Whether valid incoming IDs are used; false starts a new flow at every receive. Default true. */
    private @Nullable Boolean incoming;

    /** Creates it unset. */
    public Trust() {}

    /** {@code correlation.trust.incoming}, or null when unset. */
    public @Nullable Boolean getIncoming() {
      return incoming;
    }

    /** Sets {@code correlation.trust.incoming}. */
    public void setIncoming(@Nullable Boolean incoming) {
      this.incoming = incoming;
    }
  }

  /** {@code correlation.generate.*}. */
  public static final class Generate {
    private final When when = new When();

    /** Creates it unset. */
    public Generate() {}

    /** {@code correlation.generate.when.*}. */
    public When getWhen() {
      return when;
    }
  }

  /** {@code correlation.generate.when.*}. */
  public static final class When {
    /**
     * Whether a message sent outside any flow gets a new ID; false sends it without one. Default
     * true.
     */
    private @Nullable Boolean missing;

    /** Creates it unset. */
    public When() {}

    /** {@code correlation.generate.when.missing}, or null when unset. */
    public @Nullable Boolean getMissing() {
      return missing;
    }

    /** Sets {@code correlation.generate.when.missing}. */
    public void setMissing(@Nullable Boolean missing) {
      this.missing = missing;
    }
  }

  /** An integration's on/off switch, {@code correlation.<integration>.enabled}. */
  public static class Switch {
    /** Whether this integration is auto-configured when its classes are present. Default true. */
    private boolean enabled = true;

    /** Creates it switched on. */
    public Switch() {}

    /** Whether the integration is on. */
    public boolean isEnabled() {
      return enabled;
    }

    /** Switches the integration on or off. */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }
  }

  /** {@code correlation.rabbitmq.*}. */
  public static final class Rabbitmq extends Switch {
    /**
     * Whether a message without our header joins the flow named by its AMQP correlation_id
     * property. Off by default: RPC clients, Celery and RabbitTemplate put per-request keys there.
     */
    private boolean correlationIdFallback;

    /** Creates it on, without the fallback. */
    public Rabbitmq() {}

    /** {@code correlation.rabbitmq.correlation-id-fallback}. */
    public boolean isCorrelationIdFallback() {
      return correlationIdFallback;
    }

    /** Sets {@code correlation.rabbitmq.correlation-id-fallback}. */
    public void setCorrelationIdFallback(boolean correlationIdFallback) {
      this.correlationIdFallback = correlationIdFallback;
    }
  }

  /** {@code correlation.sqs.*}. */
  public static final class Sqs extends Switch {
    /**
     * Whether an SQS send with no room left for our attribute (10 attributes at most) fails
     * before it leaves, instead of going out without it and a WARN. Default false.
     */
    private boolean strict;

    /** Creates it on and not strict. */
    public Sqs() {}

    /** {@code correlation.sqs.strict}. */
    public boolean isStrict() {
      return strict;
    }

    /** Sets {@code correlation.sqs.strict}. */
    public void setStrict(boolean strict) {
      this.strict = strict;
    }
  }
}
