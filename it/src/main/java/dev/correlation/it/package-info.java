/**
 * Broker fixtures shared by the integration tests and the demo: where each broker comes from
 * ({@link dev.correlation.it.BrokerSelection}), and how an in-JVM one is started.
 */
@NullMarked
package dev.correlation.it;

import org.jspecify.annotations.NullMarked;
