package dev.correlation.sqs;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/** Builds message attribute maps for tests. */
final class Attributes {
  private Attributes() {}

  static MessageAttributeValue string(String value) {
    return typed("String", value);
  }

  static MessageAttributeValue typed(String dataType, String value) {
    return MessageAttributeValue.builder().dataType(dataType).stringValue(value).build();
  }

  static MessageAttributeValue binary(byte[] value) {
    return MessageAttributeValue.builder().dataType("Binary")
        .binaryValue(SdkBytes.fromByteArray(value)).build();
  }

  static MessageAttributeValue binary(String utf8) {
    return binary(utf8.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code count} user attributes named user-0, user-1, ... */
  static Map<String, MessageAttributeValue> user(int count) {
    Map<String, MessageAttributeValue> map = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      map.put("user-" + i, string("value-" + i));
    }
    return map;
  }

  static String stringOf(Map<String, MessageAttributeValue> attributes, String name) {
    MessageAttributeValue value = attributes.get(name);
    if (value == null) {
      return null;
    }
    if (!"String".equals(value.dataType())) {
      throw new AssertionError(name + " is not a String attribute: " + value);
    }
    return value.stringValue();
  }
}
