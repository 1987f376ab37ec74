/**
 * Correlation IDs for message-driven systems: the context API ({@link dev.correlation.Correlation},
 * {@link dev.correlation.CorrelationContext}, {@link dev.correlation.Scope}), the wire rules every
 * broker module shares ({@link dev.correlation.CorrelationPropagator}), configuration
 * ({@link dev.correlation.CorrelationConfig}) and ID generation and validation.
 *
 * <p>Everything here is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.correlation;

import org.jspecify.annotations.NullMarked;
