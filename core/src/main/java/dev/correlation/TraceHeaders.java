package dev.correlation;

import org.jspecify.annotations.Nullable;

/**
 * Where the W3C headers meet our wire rules, kept apart from {@link CorrelationPropagator} so that
 * its own rules read on their own: on receive, {@code baggage} and {@code traceparent} as sources
 * of the ID when our header is absent; on send, our ID as a member of {@code baggage}. Both off by
 * default, so that without the settings the bytes on the wire do not change.
 */
final class TraceHeaders {
  private TraceHeaders() {}

  /**
   * The ID of a message whose correlation header is absent: the valid baggage member, else the
   * trace-id of a valid traceparent, each checked like our header (length, validator); a bad one is
   * ignored with a rate-limited WARN.
   *
   * @param absent what reading our header gave ({@link Problem#MISSING})
   * @return the ID, or {@code absent} when neither header gives one
   */
  static <C> Object extract(CorrelationConfig cfg, C carrier,
      CorrelationPropagator.Getter<C> getter, Object absent) {
    if (cfg.readsBaggage()) {
      Object raw = get(getter, carrier, Baggage.HEADER);
      Object member = Baggage.member(raw, cfg.baggageMember());
      String id = checked(cfg, member, Problem.BAGGAGE, Baggage.HEADER, raw,
          member instanceof Baggage.Defect ? ((Baggage.Defect) member).reason : null,
          "member " + cfg.baggageMember());
      if (id != null) {
        return id;
      }
    }
    if (cfg.readsTraceparent()) {
      Object raw = get(getter, carrier, TraceParent.HEADER);
      Object traceId = TraceParent.traceId(raw);
      String id = checked(cfg, traceId, Problem.TRACEPARENT, TraceParent.HEADER, raw,
          traceId instanceof TraceParent.Defect ? ((TraceParent.Defect) traceId).reason : null,
          "trace-id");
      if (id != null) {
        return id;
      }
    }
    return absent;
  }

  private static @Nullable String checked(CorrelationConfig cfg, @Nullable Object found,
      Problem problem, String header, @Nullable Object raw, @Nullable String defect, String what) {
    if (found == null) {
      return null; // absent: nothing to say
    }
    String outcome;
    if (defect != null) {
      outcome = defect;
    } else {
      Object read = IdReader.read(found, cfg.maxLength(), cfg.validator());
      if (read instanceof String) {
        return (String) read;
      }
      outcome = what + " " + ((Problem) read).reason;
    }
    cfg.badInputLog().report(problem, "Ignored header ", header, raw, outcome + "; ignored");
    return null;
  }

  /**
   * Adds the ID now on the message (our header, read back, so it is whatever the send rules left
   * there) to its {@code baggage} header as one member, keeping the other members. Written after
   * our headers, so a carrier short of room drops it first.
   *
   * @return false when the setter had no room for the header (reported like ours)
   */
  static <C> boolean inject(CorrelationConfig cfg, C carrier,
      CorrelationPropagator.Getter<C> getter, CorrelationPropagator.Setter<C> setter) {
    if (!cfg.writesBaggage()) {
      return true;
    }
    Object read = IdReader.read(get(getter, carrier, cfg.headerName()), cfg.maxLength(),
        cfg.validator());
    if (!(read instanceof String)) {
      return true; // no valid ID on the message: nothing to tell the baggage
    }
    String id = (String) read;
    Object existing = get(getter, carrier, Baggage.HEADER);
    Object merged = Baggage.withMember(existing, cfg.baggageMember(), id);
    if (merged instanceof Baggage.Defect) {
      cfg.badInputLog().report(Problem.BAGGAGE, "Left header ", Baggage.HEADER, existing,
          ((Baggage.Defect) merged).reason + "; sent without member " + cfg.baggageMember());
      return true;
    }
    Baggage.Written written = (Baggage.Written) merged;
    if (written.dropped() > 0) {
      cfg.badInputLog().report(Problem.BAGGAGE, "Rewrote header ", Baggage.HEADER, existing,
          "left out " + written.dropped() + " invalid member(s)");
    }
    if (setter.set(carrier, Baggage.HEADER, written.header())) {
      return true;
    }
    cfg.badInputLog().report(Problem.NO_ROOM, "Skipped header ", Baggage.HEADER, written.header(),
        "not written to " + carrier);
    return false;
  }

  private static <C> @Nullable Object get(CorrelationPropagator.Getter<C> getter, C carrier,
      String name) {
    try {
      return getter.get(carrier, name);
    } catch (RuntimeException e) {
      return e; // unreadable: counts as a value of the wrong type
    }
  }
}
