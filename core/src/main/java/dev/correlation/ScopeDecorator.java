package dev.correlation;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Something else that changes while a scope is open: a logging framework's thread context, a key
 * of your own. The library's scopes own "which flow is current"; decorators own "what else is
 * written while it is". The three built-in SLF4J MDC keys ({@code correlation.mdc.*}) are the
 * default decorator; add others with {@link CorrelationConfig.Builder#addScopeDecorator}.
 *
 * <p>{@link #decorate} runs on the thread that opens a scope, after the scope's context became
 * current; the {@link Undo} it returns runs on the same thread when the scope is dropped (in any
 * close order, see {@link Scope}). A decorator must leave things exactly as it found them: remember
 * the previous value of each key it writes, write back only what it changed, remove a key that was
 * absent before, and never write a null value. Example, the correlation ID in Log4j2's
 * {@code ThreadContext} (for an application that logs through the Log4j2 API, not SLF4J):
 *
 * <pre>{@code
 * ScopeDecorator log4j = context -> {
 *   String id = context == null ? null : context.correlationId();
 *   String previous = ThreadContext.get("correlation_id");
 *   if (Objects.equals(previous, id)) {
 *     return ScopeDecorator.Undo.NONE;        // nothing changed, nothing to undo
 *   }
 *   put("correlation_id", id);                // put, or remove for null
 *   return () -> put("correlation_id", previous);
 * };
 * }</pre>
 *
 * <p>Values from a message other than the three IDs (a tenant header, say) reach a decorator
 * through {@link CorrelationContext#field(String)}: the headers named by
 * {@link CorrelationConfig.Builder#captureHeaders} are read with the correlation header, checked,
 * and kept in the context; {@link #mdcField(String, String)} writes one of them to the MDC.
 *
 * <p>Decorators are called for every scope opened under a configuration that has them, on hot
 * paths: keep them cheap. They must be thread safe (one instance serves every thread). One that
 * throws is skipped with a rate-limited WARN; the scope opens and closes as usual.
 */
@FunctionalInterface
public interface ScopeDecorator {
  /**
   * Writes {@code context} wherever this decorator writes, on the current thread.
   *
   * @param context the context made current, or null when a scope explicitly opens no flow
   *     ({@link Correlation#openNone()}, a wrapped task submitted outside any flow): remove what you
   *     would write
   * @return what undoes this call; {@link Undo#NONE} when nothing was changed
   */
  Undo decorate(@Nullable CorrelationContext context);

  /**
   * Undoes one {@link #decorate} call, on the thread that made it.
   */
  @FunctionalInterface
  interface Undo {
    /** Nothing to undo. */
    Undo NONE = () -> { };

    /** Restores what the decorate call changed; should not throw. */
    void undo();
  }

  /**
   * A decorator that writes the {@linkplain CorrelationContext#field(String) captured field}
   * {@code field} (a header named in {@link CorrelationConfig.Builder#captureHeaders}) to the SLF4J
   * MDC under {@code mdcKey} while a scope is open, restoring the previous value after. A context
   * without that field removes the key meanwhile, so a flow never shows another flow's value.
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if an argument is empty
   */
  static ScopeDecorator mdcField(String field, String mdcKey) {
    Objects.requireNonNull(field, "field == null");
    Objects.requireNonNull(mdcKey, "mdcKey == null");
    if (field.isEmpty() || mdcKey.isEmpty()) {
      throw new IllegalArgumentException("field and mdcKey must not be empty");
    }
    return new MdcFieldDecorator(field, mdcKey);
  }
}
