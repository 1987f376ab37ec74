package dev.correlation;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * How correlation IDs are named on the wire and in the MDC, made, checked and trusted. Immutable
 * and thread safe; build one with {@link #builder()} or {@link #fromMap(Map)}, or use
 * {@link #defaults()}. No setting is required.
 *
 * <p>Every setting has a string key under {@code correlation.}, so Kafka client properties, a
 * {@code .properties} file or any string map can carry it:
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code correlation.header.name}</td><td>{@code X-Correlation-ID}</td>
 *       <td>header (Kafka), AMQP header, SQS attribute carrying the correlation ID</td></tr>
 *   <tr><td>{@code correlation.header.aliases}</td><td>(none)</td>
 *       <td>comma-separated header names also read on receive, in order, when the main one is
 *       absent (e.g. {@code x-correlation-id,CORRELATION_ID}); never written</td></tr>
 *   <tr><td>{@code correlation.header.ignore-case}</td><td>{@code false}</td>
 *       <td>on receive, match header names (main and aliases) ignoring case</td></tr>
 *   <tr><td>{@code correlation.causation.header.name}</td><td>{@code X-Causation-ID}</td>
 *       <td>header carrying the ID of the message being handled when a new one is sent</td></tr>
 *   <tr><td>{@code correlation.generator}</td><td>{@code uuid}</td>
 *       <td>{@code uuid}, {@code uuidv7}, {@code ulid}, {@code hex32}, or the name of an
 *       {@link IdGenerator} class with a public no-argument constructor</td></tr>
 *   <tr><td>{@code correlation.validator}</td><td>{@code safe}</td>
 *       <td>{@code safe}, {@code uuid}, {@code any}, or an {@link IdValidator} class name</td></tr>
 *   <tr><td>{@code correlation.transformer}</td><td>{@code none}</td>
 *       <td>{@code none}, {@code lowercase}, {@code uppercase}, or the name of a
 *       {@code UnaryOperator<String>} class, applied to valid incoming IDs</td></tr>
 *   <tr><td>{@code correlation.max.length}</td><td>{@code 128}</td>
 *       <td>longest incoming ID accepted (1 to 1024)</td></tr>
 *   <tr><td>{@code correlation.mdc.enabled}</td><td>{@code true}</td>
 *       <td>write the context to the SLF4J MDC while a scope is open</td></tr>
 *   <tr><td>{@code correlation.mdc.correlation.key}</td><td>{@code correlation_id}</td>
 *       <td>MDC key of the correlation ID</td></tr>
 *   <tr><td>{@code correlation.mdc.message.key}</td><td>{@code message_id}</td>
 *       <td>MDC key of the message ID</td></tr>
 *   <tr><td>{@code correlation.mdc.causation.key}</td><td>{@code causation_id}</td>
 *       <td>MDC key of the causation ID</td></tr>
 *   <tr><td>{@code correlation.trust.incoming}</td><td>{@code true}</td>
 *       <td>use valid incoming IDs; {@code false} starts a new flow at every receive</td></tr>
 *   <tr><td>{@code correlation.generate.when.missing}</td><td>{@code true}</td>
 *       <td>give a message sent outside any flow a new ID; {@code false} sends it without one</td></tr>
 *   <tr><td>{@code correlation.traceparent}</td><td>{@code off}</td>
 *       <td>{@code read}: when our header is absent, the trace-id of a valid W3C
 *       {@code traceparent} is the flow's ID</td></tr>
 *   <tr><td>{@code correlation.baggage}</td><td>{@code off}</td>
 *       <td>{@code read}: when our header is absent, a valid member of the W3C {@code baggage}
 *       header is the flow's ID (before {@code traceparent}); {@code write}: the ID sent is also
 *       added to {@code baggage} as one member; {@code both}</td></tr>
 *   <tr><td>{@code correlation.baggage.member}</td><td>{@code correlation_id}</td>
 *       <td>name of that baggage member (an RFC 7230 token)</td></tr>
 * </table>
 */
public final class CorrelationConfig {
  /** The prefix of every configuration key. */
  public static final String PREFIX = "correlation.";
  /** Key of {@link Builder#headerName(String)}. */
  public static final String HEADER_NAME = "correlation.header.name";
  /** Key of {@link Builder#headerAliases(List)}. */
  public static final String HEADER_ALIASES = "correlation.header.aliases";
  /** Key of {@link Builder#headerIgnoreCase(boolean)}. */
  public static final String HEADER_IGNORE_CASE = "correlation.header.ignore-case";
  /** Key of {@link Builder#causationHeaderName(String)}. */
  public static final String CAUSATION_HEADER_NAME = "correlation.causation.header.name";
  /** Key of {@link Builder#generator(IdGenerator)}. */
  public static final String GENERATOR = "correlation.generator";
  /** Key of {@link Builder#validator(IdValidator)}. */
  public static final String VALIDATOR = "correlation.validator";
  /** Key of {@link Builder#transformer(UnaryOperator)}. */
  public static final String TRANSFORMER = "correlation.transformer";
  /** Key of {@link Builder#maxLength(int)}. */
  public static final String MAX_LENGTH = "correlation.max.length";
  /** Key of {@link Builder#mdcEnabled(boolean)}. */
  public static final String MDC_ENABLED = "correlation.mdc.enabled";
  /** Key of {@link Builder#mdcCorrelationKey(String)}. */
  public static final String MDC_CORRELATION_KEY = "correlation.mdc.correlation.key";
  /** Key of {@link Builder#mdcMessageKey(String)}. */
  public static final String MDC_MESSAGE_KEY = "correlation.mdc.message.key";
  /** Key of {@link Builder#mdcCausationKey(String)}. */
  public static final String MDC_CAUSATION_KEY = "correlation.mdc.causation.key";
  /** Key of {@link Builder#trustIncoming(boolean)}. */
  public static final String TRUST_INCOMING = "correlation.trust.incoming";
  /** Key of {@link Builder#generateWhenMissing(boolean)}. */
  public static final String GENERATE_WHEN_MISSING = "correlation.generate.when.missing";
  /** Key of {@link Builder#readTraceparent(boolean)}: {@code off} or {@code read}. */
  public static final String TRACEPARENT = "correlation.traceparent";
  /**
   * Key of {@link Builder#readBaggage(boolean)} and {@link Builder#writeBaggage(boolean)}:
   * {@code off}, {@code read}, {@code write} or {@code both}.
   */
  public static final String BAGGAGE = "correlation.baggage";
  /** Key of {@link Builder#baggageMember(String)}. */
  public static final String BAGGAGE_MEMBER = "correlation.baggage.member";

  /**
   * The W3C Baggage header (not a key): read and written as {@link #BAGGAGE} says, so carriers
   * that must name what they read or copy back (SQS receives, Spring AMQP) use this name.
   */
  public static final String BAGGAGE_HEADER = "baggage";
  /** The W3C Trace Context header (not a key): read as {@link #TRACEPARENT} says. */
  public static final String TRACEPARENT_HEADER = "traceparent";

  /** Every key of the table above; {@link ConfigParser} reads them. */
  private static final Set<String> KEYS = ConfigParser.KEYS;
  private static final int MAX_LENGTH_LIMIT = 1024;
  static final UnaryOperator<String> IDENTITY = named("none", id -> id);
  static final UnaryOperator<String> LOWERCASE =
      named("lowercase", id -> id.toLowerCase(Locale.ROOT));
  static final UnaryOperator<String> UPPERCASE =
      named("uppercase", id -> id.toUpperCase(Locale.ROOT));
  private static final CorrelationConfig DEFAULTS = builder().build();

  private final String headerName;
  private final List<String> headerAliases;
  private final boolean headerIgnoreCase;
  private final String causationHeaderName;
  private final IdGenerator generator;
  private final IdValidator validator;
  private final UnaryOperator<String> transformer;
  private final int maxLength;
  private final boolean mdcEnabled;
  private final String mdcCorrelationKey;
  private final String mdcMessageKey;
  private final String mdcCausationKey;
  private final boolean trustIncoming;
  private final boolean generateWhenMissing;
  private final boolean readTraceparent;
  private final boolean readBaggage;
  private final boolean writeBaggage;
  private final String baggageMember;
  private final List<ScopeDecorator> scopeDecorators;
  private final List<String> capturedHeaders;
  private final @Nullable MdcKeys mdcKeys;
  private final BadInputLog badInputLog;

  private CorrelationConfig(Builder b) {
    headerName = b.headerName;
    headerAliases = b.headerAliases;
    headerIgnoreCase = b.headerIgnoreCase;
    causationHeaderName = b.causationHeaderName;
    generator = b.generator;
    validator = b.validator;
    transformer = b.transformer;
    maxLength = b.maxLength;
    mdcEnabled = b.mdcEnabled;
    mdcCorrelationKey = b.mdcCorrelationKey;
    mdcMessageKey = b.mdcMessageKey;
    mdcCausationKey = b.mdcCausationKey;
    trustIncoming = b.trustIncoming;
    generateWhenMissing = b.generateWhenMissing;
    readTraceparent = b.readTraceparent;
    readBaggage = b.readBaggage;
    writeBaggage = b.writeBaggage;
    baggageMember = b.baggageMember;
    scopeDecorators = List.copyOf(b.scopeDecorators);
    capturedHeaders = b.capturedHeaders;
    badInputLog = new BadInputLog(b.warnWindowNanos, b.nanoClock);
    mdcKeys = mdcEnabled || !scopeDecorators.isEmpty()
        ? new MdcKeys(mdcEnabled, mdcCorrelationKey, mdcMessageKey, mdcCausationKey,
            scopeDecorators.toArray(new ScopeDecorator[0]), badInputLog)
        : null;
  }

  /** Every key {@link #fromMap(Map)} knows, for integrations that bind them one by one. */
  public static Set<String> keys() {
    return KEYS;
  }

  /** The defaults: every setting as in the table above. */
  public static CorrelationConfig defaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * The defaults, overridden by the {@code correlation.*} entries of {@code map}. Other keys (a
   * Kafka client's {@code bootstrap.servers}, say) are ignored.
   *
   * @throws IllegalArgumentException naming the key, for an unknown {@code correlation.*} key, a
   *     value that is not a {@code String}, or a value that is not allowed
   */
  public static CorrelationConfig fromMap(Map<String, ?> map) {
    return builder().apply(map).build();
  }

  /**
   * Like {@link #fromMap(Map)}, for a module with {@code correlation.*} keys of its own
   * ({@code correlation.sqs.strict}, say): those keys are left to the module, which reads them
   * with {@link #flag}, instead of being rejected as unknown. An unknown key under a module key's
   * prefix ({@code correlation.sqs.stric}) is rejected naming the module's keys.
   *
   * @throws NullPointerException if {@code map} or {@code moduleKeys} is null
   * @throws IllegalArgumentException as {@link #fromMap(Map)} does
   */
  public static CorrelationConfig fromMap(Map<String, ?> map, Collection<String> moduleKeys) {
    return builder().apply(map, moduleKeys).build();
  }

  /**
   * Reads a {@code true}/{@code false} setting of a module from a string map, with the same rules
   * as the core keys (a {@code String}, case and surrounding blanks ignored).
   *
   * @return {@code defaultValue} when {@code key} is absent
   * @throws NullPointerException if {@code map} or {@code key} is null
   * @throws IllegalArgumentException naming the key, for any other value
   */
  public static boolean flag(Map<String, ?> map, String key, boolean defaultValue) {
    return ConfigParser.flag(map, key, defaultValue);
  }

  /** Name of the header carrying the correlation ID. */
  public String headerName() {
    return headerName;
  }

  /** Other names of the correlation header, tried in order on receive; never written. */
  public List<String> headerAliases() {
    return headerAliases;
  }

  /** Whether receive matches header names ignoring case. */
  public boolean headerIgnoreCase() {
    return headerIgnoreCase;
  }

  /** Name of the header carrying the causation ID. */
  public String causationHeaderName() {
    return causationHeaderName;
  }

  /** Makes new IDs. */
  public IdGenerator generator() {
    return generator;
  }

  /** Decides which incoming IDs are used. */
  public IdValidator validator() {
    return validator;
  }

  /** Applied to valid incoming IDs before use. */
  public UnaryOperator<String> transformer() {
    return transformer;
  }

  /** Longest incoming ID accepted. */
  public int maxLength() {
    return maxLength;
  }

  /** Whether scopes write the MDC. */
  public boolean mdcEnabled() {
    return mdcEnabled;
  }

  /** MDC key of the correlation ID. */
  public String mdcCorrelationKey() {
    return mdcCorrelationKey;
  }

  /** MDC key of the message ID. */
  public String mdcMessageKey() {
    return mdcMessageKey;
  }

  /** MDC key of the causation ID. */
  public String mdcCausationKey() {
    return mdcCausationKey;
  }

  /** Whether valid incoming IDs are used (else each receive starts a new flow). */
  public boolean trustIncoming() {
    return trustIncoming;
  }

  /** Whether a message sent outside any flow gets a new ID. */
  public boolean generateWhenMissing() {
    return generateWhenMissing;
  }

  /**
   * Whether, when our header is absent, the trace-id of a valid W3C {@code traceparent} header
   * is the flow's ID. Off by default.
   */
  public boolean readsTraceparent() {
    return readTraceparent;
  }

  /**
   * Whether, when our header is absent, the {@link #baggageMember()} member of the W3C
   * {@code baggage} header is the flow's ID (tried before {@code traceparent}). Off by default.
   */
  public boolean readsBaggage() {
    return readBaggage;
  }

  /** Whether the ID sent is also added to the W3C {@code baggage} header. Off by default. */
  public boolean writesBaggage() {
    return writeBaggage;
  }

  /** Name of the W3C baggage member carrying the correlation ID. */
  public String baggageMember() {
    return baggageMember;
  }

  /**
   * The decorators every scope opened under this configuration runs, in order, after the built-in
   * MDC keys ({@link #mdcEnabled()}); unmodifiable, empty by default.
   */
  public List<ScopeDecorator> scopeDecorators() {
    return scopeDecorators;
  }

  /**
   * The headers a receive captures into the context's {@linkplain CorrelationContext#field(String)
   * fields}; unmodifiable, empty by default.
   */
  public List<String> capturedHeaders() {
    return capturedHeaders;
  }

  /** False for the identity transformer: receive skips the call. */
  boolean transforms() {
    return transformer != IDENTITY;
  }

  @Nullable MdcKeys mdcKeys() {
    return mdcKeys;
  }

  BadInputLog badInputLog() {
    return badInputLog;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof CorrelationConfig)) {
      return false;
    }
    CorrelationConfig that = (CorrelationConfig) o;
    return headerName.equals(that.headerName)
        && headerAliases.equals(that.headerAliases)
        && headerIgnoreCase == that.headerIgnoreCase
        && causationHeaderName.equals(that.causationHeaderName)
        && generator.equals(that.generator)
        && validator.equals(that.validator)
        && transformer.equals(that.transformer)
        && maxLength == that.maxLength
        && mdcEnabled == that.mdcEnabled
        && mdcCorrelationKey.equals(that.mdcCorrelationKey)
        && mdcMessageKey.equals(that.mdcMessageKey)
        && mdcCausationKey.equals(that.mdcCausationKey)
        && trustIncoming == that.trustIncoming
        && generateWhenMissing == that.generateWhenMissing
        && readTraceparent == that.readTraceparent
        && readBaggage == that.readBaggage
        && writeBaggage == that.writeBaggage
        && baggageMember.equals(that.baggageMember)
        && scopeDecorators.equals(that.scopeDecorators)
        && capturedHeaders.equals(that.capturedHeaders);
  }

  @Override
  public int hashCode() {
    return Objects.hash(headerName, headerAliases, headerIgnoreCase, causationHeaderName,
        generator, validator, transformer, maxLength, mdcEnabled, mdcCorrelationKey, mdcMessageKey,
        mdcCausationKey, trustIncoming, generateWhenMissing, readTraceparent, readBaggage,
        writeBaggage, baggageMember, scopeDecorators, capturedHeaders);
  }

  @Override
  public String toString() {
    return "CorrelationConfig{headerName=" + headerName
        + (headerAliases.isEmpty() ? "" : ", headerAliases=" + headerAliases)
        + (headerIgnoreCase ? ", headerIgnoreCase=true" : "")
        + ", causationHeaderName=" + causationHeaderName
        + ", generator=" + generator
        + ", validator=" + validator
        + ", transformer=" + transformer
        + ", maxLength=" + maxLength
        + ", mdcEnabled=" + mdcEnabled
        + ", mdcKeys=" + mdcCorrelationKey + '/' + mdcMessageKey + '/' + mdcCausationKey
        + ", trustIncoming=" + trustIncoming
        + ", generateWhenMissing=" + generateWhenMissing
        + ", traceparent=" + (readTraceparent ? "read" : "off")
        + ", baggage=" + mode(readBaggage, writeBaggage)
        + ", baggageMember=" + baggageMember
        + (scopeDecorators.isEmpty() ? "" : ", scopeDecorators=" + scopeDecorators)
        + (capturedHeaders.isEmpty() ? "" : ", capturedHeaders=" + capturedHeaders) + '}';
  }

  private static String mode(boolean read, boolean write) {
    return read ? (write ? "both" : "read") : (write ? "write" : "off");
  }

  private static UnaryOperator<String> named(String name, UnaryOperator<String> operator) {
    return new UnaryOperator<>() {
      @Override
      public String apply(String id) {
        return operator.apply(id);
      }

      @Override
      public String toString() {
        return name;
      }
    };
  }

  /** Builds a {@link CorrelationConfig}. Not thread safe; every setter fails fast on bad input. */
  public static final class Builder {
    private String headerName = "X-Correlation-ID";
    private List<String> headerAliases = List.of();
    private boolean headerIgnoreCase;
    private String causationHeaderName = "X-Causation-ID";
    private IdGenerator generator = IdGenerator.randomUuid();
    private IdValidator validator = IdValidator.safeToken();
    private UnaryOperator<String> transformer = IDENTITY;
    private int maxLength = 128;
    private boolean mdcEnabled = true;
    private String mdcCorrelationKey = "correlation_id";
    private String mdcMessageKey = "message_id";
    private String mdcCausationKey = "causation_id";
    private boolean trustIncoming = true;
    private boolean generateWhenMissing = true;
    private boolean readTraceparent;
    private boolean readBaggage;
    private boolean writeBaggage;
    private String baggageMember = "correlation_id";
    private List<ScopeDecorator> scopeDecorators = new ArrayList<>();
    private List<String> capturedHeaders = List.of();
    private long warnWindowNanos = BadInputLog.DEFAULT_WINDOW_NANOS;
    private LongSupplier nanoClock = System::nanoTime;

    private Builder() {}

    private Builder(CorrelationConfig c) {
      headerName = c.headerName;
      headerAliases = c.headerAliases;
      headerIgnoreCase = c.headerIgnoreCase;
      causationHeaderName = c.causationHeaderName;
      generator = c.generator;
      validator = c.validator;
      transformer = c.transformer;
      maxLength = c.maxLength;
      mdcEnabled = c.mdcEnabled;
      mdcCorrelationKey = c.mdcCorrelationKey;
      mdcMessageKey = c.mdcMessageKey;
      mdcCausationKey = c.mdcCausationKey;
      trustIncoming = c.trustIncoming;
      generateWhenMissing = c.generateWhenMissing;
      readTraceparent = c.readTraceparent;
      readBaggage = c.readBaggage;
      writeBaggage = c.writeBaggage;
      baggageMember = c.baggageMember;
      scopeDecorators = new ArrayList<>(c.scopeDecorators);
      capturedHeaders = c.capturedHeaders;
    }

    /**
     * Applies the {@code correlation.*} entries of {@code map}; other keys are ignored.
     *
     * @throws IllegalArgumentException naming the key, for an unknown {@code correlation.*} key, a
     *     non-{@code String} value or a value that is not allowed
     */
    public Builder apply(Map<String, ?> map) {
      return apply(map, List.of());
    }

    /**
     * Like {@link #apply(Map)}, leaving {@code moduleKeys} (a module's own settings) to the module.
     *
     * @throws IllegalArgumentException as {@link #apply(Map)} does
     */
    public Builder apply(Map<String, ?> map, Collection<String> moduleKeys) {
      ConfigParser.apply(this, map, moduleKeys);
      return this;
    }

    /**
     * Header carrying the correlation ID; letters, digits, {@code _ . -} only (legal on all three
     * brokers).
     */
    public Builder headerName(String name) {
      headerName = headerNameOf(name, "headerName");
      return this;
    }

    /**
     * Other names under which receive looks for the correlation ID, in order, when the main header
     * is absent: for publishers that spell it differently ({@code x-correlation-id} from HTTP/2
     * bridges, {@code CORRELATION_ID} from asgi-correlation-id's Celery extension). Sends always
     * write the main name. Same character rules as {@link #headerName(String)}.
     */
    public Builder headerAliases(List<String> aliases) {
      Objects.requireNonNull(aliases, "aliases == null");
      List<String> checked = new ArrayList<>(aliases.size());
      for (String alias : aliases) {
        checked.add(headerNameOf(alias, "headerAliases"));
      }
      headerAliases = List.copyOf(checked);
      return this;
    }

    /** Whether receive matches the header name and its aliases ignoring case. */
    public Builder headerIgnoreCase(boolean ignoreCase) {
      headerIgnoreCase = ignoreCase;
      return this;
    }

    /** Header carrying the causation ID; same rules as {@link #headerName(String)}. */
    public Builder causationHeaderName(String name) {
      causationHeaderName = headerNameOf(name, "causationHeaderName");
      return this;
    }

    /** Makes new IDs. */
    public Builder generator(IdGenerator generator) {
      this.generator = Objects.requireNonNull(generator, "generator == null");
      return this;
    }

    /** Decides which incoming IDs are used. */
    public Builder validator(IdValidator validator) {
      this.validator = Objects.requireNonNull(validator, "validator == null");
      return this;
    }

    /**
     * Applied to each valid incoming ID (lower-casing, say). A transformer that throws or returns
     * an empty value makes the ID count as rejected.
     */
    public Builder transformer(UnaryOperator<String> transformer) {
      this.transformer = Objects.requireNonNull(transformer, "transformer == null");
      return this;
    }

    /** Longest incoming ID accepted, 1 to 1024; longer ones are replaced. */
    public Builder maxLength(int maxLength) {
      if (maxLength < 1 || maxLength > MAX_LENGTH_LIMIT) {
        throw new IllegalArgumentException("maxLength must be 1.." + MAX_LENGTH_LIMIT + ": "
            + maxLength);
      }
      this.maxLength = maxLength;
      return this;
    }

    /** Whether scopes write the MDC. */
    public Builder mdcEnabled(boolean enabled) {
      mdcEnabled = enabled;
      return this;
    }

    /** MDC key of the correlation ID. */
    public Builder mdcCorrelationKey(String key) {
      mdcCorrelationKey = nonEmpty(key, "mdcCorrelationKey");
      return this;
    }

    /** MDC key of the message ID. */
    public Builder mdcMessageKey(String key) {
      mdcMessageKey = nonEmpty(key, "mdcMessageKey");
      return this;
    }

    /** MDC key of the causation ID. */
    public Builder mdcCausationKey(String key) {
      mdcCausationKey = nonEmpty(key, "mdcCausationKey");
      return this;
    }

    /** Whether valid incoming IDs are used; false starts a new flow at every receive. */
    public Builder trustIncoming(boolean trust) {
      trustIncoming = trust;
      return this;
    }

    /** Whether a message sent outside any flow gets a new ID; false sends it without one. */
    public Builder generateWhenMissing(boolean generate) {
      generateWhenMissing = generate;
      return this;
    }

    /**
     * Whether, when our header is absent, the trace-id of a valid W3C {@code traceparent} is the
     * flow's ID. An invalid {@code traceparent} is ignored with a rate-limited WARN.
     */
    public Builder readTraceparent(boolean read) {
      readTraceparent = read;
      return this;
    }

    /**
     * Whether, when our header is absent, a valid {@link #baggageMember(String) member} of the
     * W3C {@code baggage} header is the flow's ID; it is checked like our header, and a bad one is
     * ignored with a rate-limited WARN.
     */
    public Builder readBaggage(boolean read) {
      readBaggage = read;
      return this;
    }

    /**
     * Whether the ID sent is also added to the W3C {@code baggage} header as one member, keeping
     * the other members; a header that has no room for it under the recommendation's limits is
     * left as it was, with a WARN.
     */
    public Builder writeBaggage(boolean write) {
      writeBaggage = write;
      return this;
    }

    /**
     * Name of the baggage member carrying the ID.
     *
     * @throws IllegalArgumentException if it is not an RFC 7230 token (letters, digits and
     *     {@code !#$%&'*+-.^_`|~})
     */
    public Builder baggageMember(String member) {
      nonEmpty(member, "baggageMember");
      if (!Baggage.isKey(member)) {
        throw new IllegalArgumentException("baggageMember must be an RFC 7230 token: '" + member
            + "'");
      }
      baggageMember = member;
      return this;
    }

    /**
     * Adds a decorator that every scope opened under this configuration runs after writing the
     * built-in MDC keys (which {@link #mdcEnabled(boolean) mdcEnabled(false)} turns off, leaving
     * only the decorators): Log4j2's {@code ThreadContext}, a captured header in the MDC
     * ({@link ScopeDecorator#mdcField}). Decorators run in the order added and are undone in
     * reverse. Two configurations are equal only if their decorators are equal (by
     * {@code equals}, identity for lambdas).
     *
     * @throws NullPointerException if {@code decorator} is null
     */
    public Builder addScopeDecorator(ScopeDecorator decorator) {
      scopeDecorators.add(Objects.requireNonNull(decorator, "decorator == null"));
      return this;
    }

    /**
     * Headers to read on every receive, besides the correlation and causation headers, and keep in
     * the context's {@linkplain CorrelationContext#field(String) fields} for
     * {@link ScopeDecorator}s (a tenant ID for the logs, say). A value is kept only if it is
     * visible ASCII of at most 255 characters (so it is safe in a log line); a bad one is dropped
     * with a rate-limited WARN. Captured values are not sent on. Replaces earlier calls; none by
     * default. On SQS, receives return only the attributes they ask for: ask for these too.
     *
     * @throws IllegalArgumentException if a name is not a valid header name or names the
     *     correlation or causation header
     */
    public Builder captureHeaders(String... headers) {
      Objects.requireNonNull(headers, "headers == null");
      List<String> names = new ArrayList<>(headers.length);
      for (String header : headers) {
        names.add(headerNameOf(header, "captureHeaders"));
      }
      capturedHeaders = List.copyOf(names);
      return this;
    }

    /** Test seam: the WARN window and its clock. */
    Builder warnWindow(long windowNanos, LongSupplier clock) {
      warnWindowNanos = windowNanos;
      nanoClock = clock;
      return this;
    }

    /**
     * The configuration.
     *
     * @throws IllegalArgumentException if the two header names or the three MDC keys are not
     *     distinct
     */
    public CorrelationConfig build() {
      if (headerName.equalsIgnoreCase(causationHeaderName)) {
        throw new IllegalArgumentException("headerName and causationHeaderName must differ: "
            + headerName);
      }
      for (String alias : headerAliases) {
        if (alias.equalsIgnoreCase(causationHeaderName)) {
          throw new IllegalArgumentException("headerAliases may not name the causation header: "
              + alias);
        }
      }
      for (String captured : capturedHeaders) {
        if (captured.equalsIgnoreCase(headerName) || captured.equalsIgnoreCase(causationHeaderName)) {
          throw new IllegalArgumentException("captureHeaders may not name the correlation or "
              + "causation header: " + captured);
        }
      }
      if (mdcCorrelationKey.equals(mdcMessageKey) || mdcCorrelationKey.equals(mdcCausationKey)
          || mdcMessageKey.equals(mdcCausationKey)) {
        throw new IllegalArgumentException("the three MDC keys must differ: " + mdcCorrelationKey
            + ", " + mdcMessageKey + ", " + mdcCausationKey);
      }
      return new CorrelationConfig(this);
    }

    private static String nonEmpty(String value, String what) {
      Objects.requireNonNull(value, what + " == null");
      if (value.isEmpty()) {
        throw new IllegalArgumentException(what + " is empty");
      }
      return value;
    }

    private static String headerNameOf(String name, String what) {
      nonEmpty(name, what);
      if (name.length() > 128) {
        throw new IllegalArgumentException(what + " longer than 128 characters: " + name);
      }
      for (int i = 0; i < name.length(); i++) {
        char c = name.charAt(i);
        boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || c == '_' || c == '-' || c == '.';
        if (!ok) {
          throw new IllegalArgumentException(what + " may hold letters, digits, '_', '-' and '.'"
              + " only: '" + name + "'");
        }
      }
      String lower = name.toLowerCase(Locale.ROOT);
      if (lower.startsWith("aws.") || lower.startsWith("amazon.")) {
        throw new IllegalArgumentException(what + " may not start with AWS. or Amazon. (reserved"
            + " by SQS): " + name);
      }
      return name;
    }
  }
}
