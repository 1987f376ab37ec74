/**
 * OpenTelemetry bridge: our IDs on every span started in a flow, and flows started from the
 * current OpenTelemetry baggage or trace at an edge without a correlation header.
 */
@NullMarked
package dev.correlation.opentelemetry;

import org.jspecify.annotations.NullMarked;
