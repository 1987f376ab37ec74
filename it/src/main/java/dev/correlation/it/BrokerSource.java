package dev.correlation.it;

/** Where a broker used by the integration tests and the demo comes from. */
public enum BrokerSource {
  /** An address given in the environment ({@code KAFKA_BOOTSTRAP_SERVERS} and the like). */
  ENVIRONMENT,
  /** A container started through Testcontainers, because a Docker engine answered. */
  TESTCONTAINERS,
  /** A broker in this JVM. */
  EMBEDDED,
  /** A server already running on this machine, found on its standard port (RabbitMQ). */
  LOCAL
}
