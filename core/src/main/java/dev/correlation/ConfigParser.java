package dev.correlation;

import static dev.correlation.CorrelationConfig.BAGGAGE;
import static dev.correlation.CorrelationConfig.BAGGAGE_MEMBER;
import static dev.correlation.CorrelationConfig.CAUSATION_HEADER_NAME;
import static dev.correlation.CorrelationConfig.GENERATE_WHEN_MISSING;
import static dev.correlation.CorrelationConfig.GENERATOR;
import static dev.correlation.CorrelationConfig.HEADER_ALIASES;
import static dev.correlation.CorrelationConfig.HEADER_IGNORE_CASE;
import static dev.correlation.CorrelationConfig.HEADER_NAME;
import static dev.correlation.CorrelationConfig.MAX_LENGTH;
import static dev.correlation.CorrelationConfig.MDC_CAUSATION_KEY;
import static dev.correlation.CorrelationConfig.MDC_CORRELATION_KEY;
import static dev.correlation.CorrelationConfig.MDC_ENABLED;
import static dev.correlation.CorrelationConfig.MDC_MESSAGE_KEY;
import static dev.correlation.CorrelationConfig.PREFIX;
import static dev.correlation.CorrelationConfig.TRACEPARENT;
import static dev.correlation.CorrelationConfig.TRANSFORMER;
import static dev.correlation.CorrelationConfig.TRUST_INCOMING;
import static dev.correlation.CorrelationConfig.VALIDATOR;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeSet;

/**
 * Reads the {@code correlation.*} string settings into a {@link CorrelationConfig.Builder}: which
 * keys exist, which strings each accepts, and the error naming the key when one is wrong. Modules
 * with keys of their own ({@code correlation.sqs.strict}) pass them in, so a typo under their
 * prefix is reported with the module's keys, and read their values with {@link #flag}; none of
 * them parses strings itself.
 */
final class ConfigParser {
  static final Set<String> KEYS = Set.of(HEADER_NAME, HEADER_ALIASES, HEADER_IGNORE_CASE,
      CAUSATION_HEADER_NAME, GENERATOR, VALIDATOR, TRANSFORMER, MAX_LENGTH, MDC_ENABLED,
      MDC_CORRELATION_KEY, MDC_MESSAGE_KEY, MDC_CAUSATION_KEY, TRUST_INCOMING,
      GENERATE_WHEN_MISSING, TRACEPARENT, BAGGAGE, BAGGAGE_MEMBER);

  private ConfigParser() {}

  /** Applies the core entries of {@code map} to {@code builder}; see {@code Builder.apply}. */
  static void apply(CorrelationConfig.Builder builder, Map<String, ?> map,
      Collection<String> moduleKeys) {
    Objects.requireNonNull(map, "map == null");
    Objects.requireNonNull(moduleKeys, "moduleKeys == null");
    for (String key : map.keySet()) {
      if (key == null || !key.startsWith(PREFIX) || moduleKeys.contains(key)) {
        continue;
      }
      if (!KEYS.contains(key)) {
        throw unknown(key, moduleKeys);
      }
      // get(), not the entry: Kafka's config maps count a get() as a use, so clients do not
      // report our keys as "supplied but not used"
      Object value = map.get(key);
      if (!(value instanceof String)) {
        throw new IllegalArgumentException(key + " must be a String, not "
            + (value == null ? "null" : value.getClass().getName() + " " + value));
      }
      try {
        set(builder, key, ((String) value).trim());
      } catch (IllegalArgumentException | NullPointerException e) {
        throw new IllegalArgumentException(key + "=" + value + " is not allowed: "
            + e.getMessage(), e);
      }
    }
  }

  /**
   * The error for an unknown key: under a module's prefix ({@code correlation.sqs.}), the keys
   * of that module; else the core keys.
   */
  private static IllegalArgumentException unknown(String key, Collection<String> moduleKeys) {
    StringJoiner same = new StringJoiner(", ");
    for (String moduleKey : new TreeSet<>(moduleKeys)) {
      int end = moduleKey.indexOf('.', PREFIX.length());
      if (end > 0 && key.startsWith(moduleKey.substring(0, end + 1))) {
        same.add(moduleKey);
      }
    }
    return new IllegalArgumentException("Unknown configuration key '" + key + "'; "
        + (same.length() > 0 ? "the module knows " + same : "known keys: " + new TreeSet<>(KEYS)));
  }

  /** A module's {@code true}/{@code false} setting; see {@link CorrelationConfig#flag}. */
  static boolean flag(Map<String, ?> map, String key, boolean defaultValue) {
    Objects.requireNonNull(map, "map == null");
    Objects.requireNonNull(key, "key == null");
    if (!map.containsKey(key)) {
      return defaultValue;
    }
    Object value = map.get(key);
    if (value instanceof String) {
      String text = ((String) value).trim();
      if (text.equalsIgnoreCase("true")) {
        return true;
      }
      if (text.equalsIgnoreCase("false")) {
        return false;
      }
    }
    throw new IllegalArgumentException(key + " must be the String true or false, not "
        + (value == null ? "null" : value.getClass().getSimpleName() + " " + value));
  }

  private static void set(CorrelationConfig.Builder b, String key, String value) {
    switch (key) {
      case HEADER_NAME -> b.headerName(value);
      case HEADER_ALIASES -> {
        List<String> names = new ArrayList<>();
        for (String name : value.split(",", -1)) {
          if (!name.isBlank()) {
            names.add(name.trim());
          }
        }
        b.headerAliases(names);
      }
      case HEADER_IGNORE_CASE -> b.headerIgnoreCase(bool(value));
      case CAUSATION_HEADER_NAME -> b.causationHeaderName(value);
      case GENERATOR -> b.generator(switch (value.toLowerCase(Locale.ROOT)) {
        case "uuid" -> IdGenerator.randomUuid();
        case "uuidv7" -> IdGenerator.uuidV7();
        case "ulid" -> IdGenerator.ulid();
        case "hex32" -> IdGenerator.hex32();
        default -> ConfiguredClasses.instantiate(value, IdGenerator.class,
            "uuid, uuidv7, ulid, hex32");
      });
      case VALIDATOR -> b.validator(switch (value.toLowerCase(Locale.ROOT)) {
        case "safe" -> IdValidator.safeToken();
        case "uuid" -> IdValidator.strictUuid();
        case "any" -> IdValidator.acceptAny();
        default -> ConfiguredClasses.instantiate(value, IdValidator.class, "safe, uuid, any");
      });
      case TRANSFORMER -> b.transformer(switch (value.toLowerCase(Locale.ROOT)) {
        case "none" -> CorrelationConfig.IDENTITY;
        case "lowercase" -> CorrelationConfig.LOWERCASE;
        case "uppercase" -> CorrelationConfig.UPPERCASE;
        default -> ConfiguredClasses.transformer(value, "none, lowercase, uppercase");
      });
      case MAX_LENGTH -> {
        try {
          b.maxLength(Integer.parseInt(value));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("not a whole number");
        }
      }
      case MDC_ENABLED -> b.mdcEnabled(bool(value));
      case MDC_CORRELATION_KEY -> b.mdcCorrelationKey(value);
      case MDC_MESSAGE_KEY -> b.mdcMessageKey(value);
      case MDC_CAUSATION_KEY -> b.mdcCausationKey(value);
      case TRUST_INCOMING -> b.trustIncoming(bool(value));
      case GENERATE_WHEN_MISSING -> b.generateWhenMissing(bool(value));
      case TRACEPARENT -> b.readTraceparent(switch (value.toLowerCase(Locale.ROOT)) {
        case "off" -> false;
        case "read" -> true;
        default -> throw new IllegalArgumentException("expected off or read");
      });
      case BAGGAGE -> {
        String mode = value.toLowerCase(Locale.ROOT);
        if (!mode.equals("off") && !mode.equals("read") && !mode.equals("write")
            && !mode.equals("both")) {
          throw new IllegalArgumentException("expected off, read, write or both");
        }
        b.readBaggage(mode.equals("read") || mode.equals("both"));
        b.writeBaggage(mode.equals("write") || mode.equals("both"));
      }
      case BAGGAGE_MEMBER -> b.baggageMember(value);
      default -> throw new AssertionError(key); // KEYS and this switch list the same keys
    }
  }

  private static boolean bool(String value) {
    if (value.equalsIgnoreCase("true")) {
      return true;
    }
    if (value.equalsIgnoreCase("false")) {
      return false;
    }
    throw new IllegalArgumentException("expected true or false");
  }
}
