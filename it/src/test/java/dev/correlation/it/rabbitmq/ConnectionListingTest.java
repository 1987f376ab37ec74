package dev.correlation.it.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The broker tools' answers are read right, so that the recovery test closes exactly ours. */
class ConnectionListingTest {
  @Test
  void findsOwnConnectionsInRabbitmqctlListingOfEitherShape() {
    String listing = String.join("\n",
        "<rabbit@localhost.1.100.0>\t[{\"connection_name\",\"it-7-1-recovery\"},{\"x\",\"R\"}]",
        "<rabbit@localhost.1.101.0>\t[{\"product\",\"RabbitMQ\"},{\"connection_name\",\"other\"}]",
        "<rabbit@host.2.102.0>\t[{\"connection_name\",\"longstr\",\"it-7-2-x\"}]",
        "<rabbit@localhost.1.103.0>\t[{\"product\",\"no name\"}]");

    assertThat(Rabbitmqctl.pidsNamed(listing, "it-7-"))
        .containsExactly("<rabbit@localhost.1.100.0>", "<rabbit@host.2.102.0>");
  }

  @Test
  void findsOwnConnectionsInManagementApiListing() {
    String json = "[{\"client_properties\":{\"connection_name\":\"it-7-1-recovery\"},"
        + "\"name\":\"127.0.0.1:50000 -> 127.0.0.1:5672\"},"
        + "{\"name\":\"127.0.0.1:50001 -> 127.0.0.1:5672\",\"client_properties\":{}},"
        + "{\"name\":\"10.0.0.9:1 -> 10.0.0.1:5672\","
        + "\"client_properties\":{\"connection_name\":\"someone-else\"}}]";

    assertThat(ManagementApi.namesWithPrefix(json, "it-7-"))
        .containsExactly("127.0.0.1:50000 -> 127.0.0.1:5672");
  }
}
