package dev.correlation.spring.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A request whose correlation header reads as the ID in force, whatever the caller sent. */
final class CorrelatedRequest extends HttpServletRequestWrapper {
  private final String header;
  private final String id;

  CorrelatedRequest(HttpServletRequest request, String header, String id) {
    super(request);
    this.header = header;
    this.id = id;
  }

  @Override
  public @Nullable String getHeader(String name) {
    return header.equalsIgnoreCase(name) ? id : super.getHeader(name);
  }

  @Override
  public Enumeration<String> getHeaders(String name) {
    return header.equalsIgnoreCase(name)
        ? Collections.enumeration(List.of(id)) : super.getHeaders(name);
  }

  @Override
  public Enumeration<String> getHeaderNames() {
    List<String> names = new ArrayList<>();
    Enumeration<String> own = super.getHeaderNames();
    boolean present = false;
    while (own != null && own.hasMoreElements()) {
      String name = own.nextElement();
      present |= header.equalsIgnoreCase(name);
      names.add(name);
    }
    if (!present) {
      names.add(header);
    }
    return Collections.enumeration(names);
  }
}
