package dev.correlation;

/**
 * Makes new correlation IDs at the edge of a flow, and replaces IDs that arrive invalid.
 *
 * <p>Implementations must be thread safe, fast, and return IDs that the configured
 * {@link IdValidator} accepts (otherwise the next hop replaces them).
 */
@FunctionalInterface
public interface IdGenerator {
  /** A new, unique ID. */
  String newId();

  /** Random (version 4) UUIDs, like {@code 3f2b6c1e-8d4a-4f7e-9b1c-2a5d6e7f8a9b}. The default. */
  static IdGenerator randomUuid() {
    return IdGenerators.RANDOM_UUID;
  }

  /**
   * Time-ordered version 7 UUIDs (RFC 9562): they sort by creation time, and IDs made by this
   * process sort in creation order even within one millisecond.
   */
  static IdGenerator uuidV7() {
    return IdGenerators.UUID_V7;
  }

  /**
   * ULIDs: 26 characters of Crockford base32, time-ordered and monotonic within a millisecond, like
   * {@code 01JDQ8ZK3M6X4Y2W9T7R5P3N1B}.
   */
  static IdGenerator ulid() {
    return IdGenerators.ULID;
  }

  /** 32 lowercase hex characters, the shape of a W3C trace-id; never all zeros. */
  static IdGenerator hex32() {
    return IdGenerators.HEX32;
  }
}
