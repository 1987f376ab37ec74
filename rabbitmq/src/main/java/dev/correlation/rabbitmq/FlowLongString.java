package dev.correlation.rabbitmq;

import com.rabbitmq.client.LongString;
import com.rabbitmq.client.impl.LongStringHelper;
import java.io.DataInputStream;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * A header value written for an explicit flow ({@link RabbitCorrelation#inject}). On the wire
 * it is an AMQP long string like any other (the client writes {@link #getBytes()}); in this process
 * its type tells the channel wrapper's post-processor to leave the message's flow alone. A received
 * message carries the client's own long strings again.
 */
final class FlowLongString implements LongString {
  private final LongString delegate;

  FlowLongString(byte[] utf8) {
    this.delegate = LongStringHelper.asLongString(utf8);
  }

  @Override
  public long length() {
    return delegate.length();
  }

  @Override
  public DataInputStream getStream() throws IOException {
    return delegate.getStream();
  }

  @Override
  public byte[] getBytes() {
    return delegate.getBytes();
  }

  @Override
  public String toString() {
    return delegate.toString();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return delegate.equals(o);
  }

  @Override
  public int hashCode() {
    return delegate.hashCode();
  }
}
