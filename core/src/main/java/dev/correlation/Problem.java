package dev.correlation;

/** Why an incoming value was not used, or an outgoing one not written. One WARN window each. */
enum Problem {
  MISSING("missing"),
  EMPTY("empty"),
  TOO_LONG("too long"),
  MALFORMED("not valid UTF-8 or Unicode"),
  CONTROL_CHARACTER("contains a control character"),
  NON_ASCII("contains non-ASCII characters"),
  REJECTED("rejected by the validator"),
  WRONG_TYPE("of an unsupported type"),
  CONFLICTING("present more than once with different values"),
  NO_ROOM("no room left on the message"),
  GENERATOR_FAILED("the configured generator failed"),
  UNWRITABLE("the client refused the write"),
  HOOK_FAILED("the error hook threw"),
  DECORATOR_FAILED("a scope decorator threw"),
  TRACEPARENT("not a valid W3C traceparent"),
  BAGGAGE("not valid W3C baggage");

  final String reason;

  Problem(String reason) {
    this.reason = reason;
  }
}
