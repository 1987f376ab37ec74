package dev.correlation.spring.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP/1.1 client on a plain socket, for requests that well-behaved clients refuse to send
 * (a header value with a bare CR or LF in it). Sends {@code Connection: close} and reads the
 * whole response.
 */
final class RawHttp {
  final int status;
  final Map<String, List<String>> headers;
  final String body;

  private RawHttp(int status, Map<String, List<String>> headers, String body) {
    this.status = status;
    this.headers = headers;
    this.body = body;
  }

  /** Sends {@code GET path} with the given raw header lines (each without its line end). */
  static RawHttp get(int port, String path, String... rawHeaderLines) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\n")
          .append("Host: 127.0.0.1:").append(port).append("\r\n")
          .append("Connection: close\r\n");
      for (String line : rawHeaderLines) {
        request.append(line).append("\r\n");
      }
      request.append("\r\n");
      OutputStream out = socket.getOutputStream();
      out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      in.transferTo(all);
      return parse(all.toString(StandardCharsets.ISO_8859_1));
    }
  }

  private static RawHttp parse(String response) {
    int end = response.indexOf("\r\n\r\n");
    String head = end < 0 ? response : response.substring(0, end);
    String body = end < 0 ? "" : response.substring(end + 4);
    String[] lines = head.split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
          k -> new ArrayList<>()).add(lines[i].substring(colon + 1).trim());
    }
    if ("chunked".equalsIgnoreCase(first(headers, "transfer-encoding"))) {
      body = unchunk(body);
    }
    return new RawHttp(status, headers, body);
  }

  private static String unchunk(String body) {
    StringBuilder out = new StringBuilder();
    int pos = 0;
    while (true) {
      int lineEnd = body.indexOf("\r\n", pos);
      int size = Integer.parseInt(body.substring(pos, lineEnd).trim(), 16);
      if (size == 0) {
        return out.toString();
      }
      out.append(body, lineEnd + 2, lineEnd + 2 + size);
      pos = lineEnd + 2 + size + 2;
    }
  }

  private static String first(Map<String, List<String>> headers, String name) {
    List<String> values = headers.get(name);
    return values == null ? null : values.get(0);
  }

  String header(String name) {
    return first(headers, name.toLowerCase(Locale.ROOT));
  }
}
