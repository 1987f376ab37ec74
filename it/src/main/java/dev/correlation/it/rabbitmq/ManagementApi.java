package dev.correlation.it.rabbitmq;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Closes connections through the RabbitMQ management HTTP API, for a broker named by
 * {@code RABBITMQ_URI}: {@code RABBITMQ_MANAGEMENT_URI} if set, else port 15672 on the AMQP host,
 * with the AMQP URI's credentials.
 */
final class ManagementApi implements AmqpBroker.ConnectionCloser {
  private static final Pattern NAME =
      Pattern.compile("\"name\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final Pattern CONNECTION_NAME =
      Pattern.compile("\"connection_name\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

  private final URI base;
  private final String authorization;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private ManagementApi(URI base, String user, String password) {
    this.base = base;
    this.authorization = "Basic " + Base64.getEncoder()
        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  static ManagementApi forAmqpUri(String amqpUri, @Nullable String managementUri) {
    URI amqp = URI.create(amqpUri);
    String user = "guest";
    String password = "guest";
    String info = amqp.getRawUserInfo();
    if (info != null) {
      int colon = info.indexOf(':');
      user = URLDecoder.decode(colon < 0 ? info : info.substring(0, colon), StandardCharsets.UTF_8);
      password = colon < 0 ? "" : URLDecoder.decode(info.substring(colon + 1),
          StandardCharsets.UTF_8);
    }
    String scheme = "amqps".equals(amqp.getScheme()) ? "https" : "http";
    URI base = managementUri != null && !managementUri.isBlank()
        ? URI.create(managementUri.endsWith("/") ? managementUri : managementUri + "/")
        : URI.create(scheme + "://" + amqp.getHost() + ":15672/");
    return new ManagementApi(base, user, password);
  }

  @Override
  public int closeConnections(String namePrefix) throws IOException, InterruptedException {
    // The API lists a new connection only after its next statistics round (5 s by default).
    List<String> names = List.of();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (names.isEmpty() && System.nanoTime() < deadline) {
      names = namesWithPrefix(send(HttpRequest.newBuilder(base.resolve(
          "api/connections?columns=name,client_properties")).GET()), namePrefix);
      if (names.isEmpty()) {
        Thread.sleep(500);
      }
    }
    int closed = 0;
    for (String name : names) {
      send(HttpRequest.newBuilder(base.resolve("api/connections/"
          + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20")))
          .header("X-Reason", "forced by the integration tests").DELETE());
      closed++;
    }
    return closed;
  }

  /** The broker's names of the connections whose client-provided name starts with the prefix. */
  static List<String> namesWithPrefix(String json, String namePrefix) {
    List<String> names = new ArrayList<>();
    for (String object : topLevelObjects(json)) {
      Matcher own = CONNECTION_NAME.matcher(object);
      Matcher name = NAME.matcher(object);
      if (own.find() && unescape(own.group(1)).startsWith(namePrefix) && name.find()) {
        names.add(unescape(name.group(1)));
      }
    }
    return names;
  }

  private static List<String> topLevelObjects(String json) {
    List<String> objects = new ArrayList<>();
    int depth = 0;
    int start = -1;
    boolean inString = false;
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '{') {
        if (depth++ == 0) {
          start = i;
        }
      } else if (c == '}' && --depth == 0) {
        objects.add(json.substring(start, i + 1));
      }
    }
    return objects;
  }

  private static String unescape(String json) {
    return json.replace("\\\"", "\"").replace("\\/", "/").replace("\\\\", "\\");
  }

  private String send(HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpResponse<String> response;
    try {
      response = http.send(request.header("Authorization", authorization)
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IOException("the RabbitMQ management API at " + base + " is not reachable ("
          + e + "); enable the rabbitmq_management plugin or set RABBITMQ_MANAGEMENT_URI", e);
    }
    if (response.statusCode() / 100 != 2) {
      throw new IOException("the RabbitMQ management API at " + base + " answered "
          + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }
}
