package dev.correlation.it.demo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Rebuilds each flow's path from log lines alone, the way an operator would from a log search:
 * group by correlation ID, then follow each line's causation ID to the line whose message ID it
 * names, back to the edge.
 */
public final class FlowPaths {
  private FlowPaths() {}

  /** Lines grouped by correlation ID, in first-seen order; lines without an ID are left out. */
  public static Map<String, List<LogLine>> byFlow(List<LogLine> lines) {
    Map<String, List<LogLine>> flows = new LinkedHashMap<>();
    for (LogLine line : lines) {
      if (line.correlationId() != null) {
        flows.computeIfAbsent(line.correlationId(), k -> new ArrayList<>()).add(line);
      }
    }
    return flows;
  }

  /**
   * The hops of one flow, from the edge to {@code last}: the services in causal order, found by
   * following causation IDs from message to message. A broken link ends the path where it breaks.
   */
  public static List<String> path(List<LogLine> flow, LogLine last) {
    Map<String, LogLine> byMessage = new HashMap<>();
    LogLine edge = null;
    for (LogLine line : flow) {
      if (line.messageId() != null) {
        byMessage.putIfAbsent(line.messageId(), line);
      } else if (edge == null) {
        edge = line;
      }
    }
    List<String> reversed = new ArrayList<>();
    @Nullable LogLine at = last;
    int guard = flow.size() + 1;
    while (at != null && guard-- > 0) {
      reversed.add(at.service() + (at.messageId() == null ? "" : " (" + at.messageId() + ")"));
      String cause = at.causationId();
      if (cause == null) {
        at = at.messageId() == null ? null : edge; // the first message was sent at the edge
      } else {
        at = byMessage.get(cause);
        if (at == null) {
          reversed.add("? (" + cause + " not in the logs)");
        }
      }
    }
    List<String> path = new ArrayList<>(reversed.size());
    for (int i = reversed.size() - 1; i >= 0; i--) {
      path.add(reversed.get(i));
    }
    return path;
  }
}
