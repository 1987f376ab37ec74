package dev.correlation;

/**
 * An open correlation context on the current thread. Closing it restores what was current before
 * it opened: the previous context and the previous values of the library's MDC keys.
 *
 * <p>{@link #close()} is idempotent. A close out of order (an outer scope before an inner one)
 * only marks the scope closed; the thread falls back past it when the scopes above it close. A
 * close on another thread than the one that opened the scope leaves the calling thread untouched;
 * the owning thread drops the scope at its next close. Use with try-with-resources.
 */
public interface Scope extends AutoCloseable {
  /** Restores the previous context and MDC values; never throws. */
  @Override
  void close();
}
