package dev.correlation.sqs;

import dev.correlation.CorrelationPropagator;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * Reads message attributes as the raw values core decodes and validates: {@code String} and
 * {@code Number} attributes (with or without a custom type suffix) as their string, {@code Binary}
 * ones as their bytes. Any other type, or an attribute without the value its type promises, is
 * handed over as the {@link MessageAttributeValue} itself, which core reports as a value of the
 * wrong type. Stateless.
 */
final class MessageAttributes {
  /** Over the attributes of a received {@code Message}. */
  static final CorrelationPropagator.Getter<Map<String, MessageAttributeValue>> GETTER =
      new CorrelationPropagator.Getter<>() {
        @Override
        public @Nullable Object get(Map<String, MessageAttributeValue> attributes, String name) {
          return raw(attributes.get(name));
        }

        @Override
        public Iterable<String> keys(Map<String, MessageAttributeValue> attributes) {
          return attributes.keySet();
        }
      };

  private static final String STRING = "String";
  private static final String NUMBER = "Number";
  private static final String BINARY = "Binary";

  private MessageAttributes() {}

  static @Nullable Object raw(@Nullable MessageAttributeValue value) {
    if (value == null) {
      return null;
    }
    String type = value.dataType();
    if (type != null) {
      if (isType(type, STRING) || isType(type, NUMBER)) {
        String text = value.stringValue();
        if (text != null) {
          return text;
        }
      } else if (isType(type, BINARY)) {
        SdkBytes bytes = value.binaryValue();
        if (bytes != null) {
          return bytes.asByteArrayUnsafe(); // core only reads it
        }
      }
    }
    return value;
  }

  /** {@code String}, or {@code String.anything}: SQS custom types keep their base type. */
  private static boolean isType(String type, String base) {
    return type.startsWith(base)
        && (type.length() == base.length() || type.charAt(base.length()) == '.');
  }
}
