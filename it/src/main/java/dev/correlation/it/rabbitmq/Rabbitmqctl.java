package dev.correlation.it.rabbitmq;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;

/**
 * Closes connections with {@code rabbitmqctl}, on this machine or inside the container: lists the
 * connections with their client properties, and closes those whose client-provided name starts
 * with the prefix (not {@code close_all_connections}: the local server may be shared).
 */
final class Rabbitmqctl implements AmqpBroker.ConnectionCloser {
  // {"connection_name","name"} on RabbitMQ 3.10; {"connection_name","longstr","name"} on others
  private static final Pattern CONNECTION_NAME =
      Pattern.compile("\\{\"connection_name\",(?:\"longstr\",)?\"([^\"]*)\"");

  /** Runs {@code rabbitmqctl} with these arguments, returning its standard output. */
  @FunctionalInterface
  interface Runner {
    String run(List<String> arguments) throws IOException, InterruptedException;
  }

  private final Runner runner;

  private Rabbitmqctl(Runner runner) {
    this.runner = runner;
  }

  static Rabbitmqctl local() {
    return new Rabbitmqctl(arguments -> {
      List<String> command = new ArrayList<>();
      command.add("rabbitmqctl");
      command.addAll(arguments);
      Process process;
      try {
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
      } catch (IOException e) {
        throw new IOException("rabbitmqctl is not on the PATH (" + e.getMessage() + "); it is"
            + " needed to close connections on the local RabbitMQ", e);
      }
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("rabbitmqctl " + arguments + " did not finish in 60 s");
      }
      String text = new String(output, StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        throw new IOException("rabbitmqctl " + arguments + " exited with " + process.exitValue()
            + ": " + text.strip());
      }
      return text;
    });
  }

  static Rabbitmqctl in(GenericContainer<?> container) {
    return new Rabbitmqctl(arguments -> {
      List<String> command = new ArrayList<>();
      command.add("rabbitmqctl");
      command.addAll(arguments);
      Container.ExecResult result = container.execInContainer(command.toArray(new String[0]));
      if (result.getExitCode() != 0) {
        throw new IOException("rabbitmqctl " + arguments + " exited with "
            + result.getExitCode() + ": " + result.getStderr().strip());
      }
      return result.getStdout();
    });
  }

  @Override
  public int closeConnections(String namePrefix) throws IOException, InterruptedException {
    String listing = runner.run(List.of("-q", "--no-table-headers", "list_connections", "pid",
        "client_properties"));
    int closed = 0;
    for (String pid : pidsNamed(listing, namePrefix)) {
      runner.run(List.of("close_connection", pid, "forced by the integration tests"));
      closed++;
    }
    return closed;
  }

  /** The Erlang PIDs of the listed connections whose name contains {@code namePrefix}. */
  static List<String> pidsNamed(String listing, String namePrefix) {
    List<String> pids = new ArrayList<>();
    for (String line : listing.split("\n")) {
      int start = line.indexOf('<');
      int end = line.indexOf('>');
      if (start < 0 || end < start) {
        continue;
      }
      Matcher name = CONNECTION_NAME.matcher(line);
      if (name.find() && name.group(1).startsWith(namePrefix)) {
        pids.add(line.substring(start, end + 1));
      }
    }
    return pids;
  }
}
