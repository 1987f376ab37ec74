package dev.correlation.spring.sqs;

import dev.correlation.CorrelationContext;
import dev.correlation.CorrelationPropagator;
import org.jspecify.annotations.Nullable;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.messaging.support.MessageHeaderAccessor;

/**
 * Spring message headers written for an explicit flow ({@link SpringSqsCorrelation#inject}).
 * Their values are {@link Value}s: text like a {@code String} header (Spring Cloud AWS's header
 * mapper sends any header that is not a number or a buffer as a String attribute, through
 * {@code toString()}), whose type tells the correlating header mapper to write that flow, marked
 * for the SDK interceptor, instead of the flow current where the message is sent. SQS attribute
 * values cannot carry a type of ours, so the mark lives here until the mapper turns it into the
 * sqs module's own.
 */
final class ExplicitHeaders {
  private static final CorrelationPropagator.Getter<Carrier> GETTER =
      (carrier, name) -> carrier.headers.getHeader(name);
  private static final CorrelationPropagator.Setter<Carrier> SETTER = (carrier, name, value) -> {
    carrier.headers.setHeader(name, new Value(value, carrier.flow));
    return true;
  };

  private ExplicitHeaders() {}

  /** A copy of {@code message} whose headers carry {@code flow}, marked. */
  static <T> Message<T> write(Message<T> message, CorrelationPropagator propagator,
      CorrelationContext flow) {
    Carrier carrier = new Carrier(new MessageHeaderAccessor(message), flow);
    propagator.injectFlow(carrier, GETTER, SETTER, flow);
    return MessageBuilder.createMessage(message.getPayload(), carrier.headers.toMessageHeaders());
  }

  /** The flow {@code headers} were written for, or null when they are not marked. */
  static @Nullable CorrelationContext flowOf(MessageHeaders headers, String correlationHeader) {
    Object value = headers.get(correlationHeader);
    return value instanceof Value ? ((Value) value).flow : null;
  }

  private static final class Carrier {
    final MessageHeaderAccessor headers;
    final CorrelationContext flow;

    Carrier(MessageHeaderAccessor headers, CorrelationContext flow) {
      this.headers = headers;
      this.flow = flow;
    }

    @Override
    public String toString() {
      return "Spring message headers";
    }
  }

  /** A header value written for an explicit flow: its text, and the flow it belongs to. */
  static final class Value implements CharSequence {
    private final String text;
    final CorrelationContext flow;

    Value(String text, CorrelationContext flow) {
      this.text = text;
      this.flow = flow;
    }

    @Override
    public int length() {
      return text.length();
    }

    @Override
    public char charAt(int index) {
      return text.charAt(index);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return text.subSequence(start, end);
    }

    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof Value && text.equals(((Value) o).text) && flow.equals(((Value) o).flow);
    }

    @Override
    public int hashCode() {
      return text.hashCode();
    }

    @Override
    public String toString() {
      return text;
    }
  }
}
