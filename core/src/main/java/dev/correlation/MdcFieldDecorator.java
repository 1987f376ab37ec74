package dev.correlation;

import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/** {@link ScopeDecorator#mdcField}: one captured field under one MDC key. */
final class MdcFieldDecorator implements ScopeDecorator {
  private final String field;
  private final String key;

  MdcFieldDecorator(String field, String key) {
    this.field = field;
    this.key = key;
  }

  @Override
  public Undo decorate(@Nullable CorrelationContext context) {
    String value = context == null ? null : context.field(field);
    String previous = MDC.get(key);
    if (Objects.equals(previous, value)) {
      return Undo.NONE;
    }
    MdcKeys.set(key, value);
    return () -> MdcKeys.set(key, previous);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof MdcFieldDecorator && ((MdcFieldDecorator) o).field.equals(field)
        && ((MdcFieldDecorator) o).key.equals(key);
  }

  @Override
  public int hashCode() {
    return field.hashCode() * 31 + key.hashCode();
  }

  @Override
  public String toString() {
    return "mdcField(" + field + " -> " + key + ')';
  }
}
