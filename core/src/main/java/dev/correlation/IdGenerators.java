package dev.correlation;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/** The built-in generators. Correlation IDs need uniqueness, not secrecy: no SecureRandom. */
final class IdGenerators {
  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

  static final IdGenerator RANDOM_UUID = new Named("randomUuid") {
    @Override
    public String newId() {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      long msb = (random.nextLong() & ~0xF000L) | 0x4000L; // version 4
      long lsb = (random.nextLong() & ~(0x3L << 62)) | (0x2L << 62); // IETF variant
      return new UUID(msb, lsb).toString();
    }
  };

  static final IdGenerator UUID_V7 = new UuidV7();

  static final IdGenerator ULID = new Ulid();

  static final IdGenerator HEX32 = new Named("hex32") {
    @Override
    public String newId() {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      long high;
      long low;
      do {
        high = random.nextLong();
        low = random.nextLong();
      } while (high == 0 && low == 0);
      char[] out = new char[32];
      hex(high, out, 0);
      hex(low, out, 16);
      return new String(out);
    }
  };

  private IdGenerators() {}

  private static void hex(long value, char[] out, int offset) {
    for (int i = 15; i >= 0; i--) {
      out[offset + i] = HEX[(int) (value & 0xF)];
      value >>>= 4;
    }
  }

  /** Bits {@code shift .. shift+4} of the 128-bit number {@code high:low}. */
  private static int fiveBits(long high, long low, int shift) {
    if (shift >= 64) {
      return (int) ((high >>> (shift - 64)) & 0x1F);
    }
    if (shift > 59) { // straddles the two halves
      return (int) (((low >>> shift) | (high << (64 - shift))) & 0x1F);
    }
    return (int) ((low >>> shift) & 0x1F);
  }

  /** Named so that configuration can print and compare built-ins. */
  private abstract static class Named implements IdGenerator {
    private final String name;

    Named(String name) {
      this.name = name;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /**
   * RFC 9562 version 7, method 1: 48 bits of Unix milliseconds, then a 12-bit counter in rand_a
   * that restarts at a random value below 2048 each millisecond and carries into the timestamp
   * when it runs out, then 62 random bits. One atomic state makes the sequence strictly
   * increasing across all threads of the process.
   */
  private static final class UuidV7 extends Named {
    private final AtomicLong last = new AtomicLong(); // millis << 12 | counter

    UuidV7() {
      super("uuidV7");
    }

    @Override
    public String newId() {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      long fresh = (System.currentTimeMillis() << 12) | random.nextInt(2048);
      long state;
      long next;
      do {
        state = last.get();
        next = fresh > state ? fresh : state + 1;
      } while (!last.compareAndSet(state, next));
      long msb = ((next >>> 12) << 16) | 0x7000L | (next & 0xFFFL);
      long lsb = (random.nextLong() & ~(0x3L << 62)) | (0x2L << 62);
      return new UUID(msb, lsb).toString();
    }
  }

  /**
   * ULID: 48 bits of Unix milliseconds and 80 random bits; within one millisecond the random part
   * is incremented, as the spec's monotonic mode does, and an overflow carries into the timestamp.
   */
  private static final class Ulid extends Named {
    private long lastMillis;
    private long randomHigh; // 16 bits used
    private long randomLow;

    Ulid() {
      super("ulid");
    }

    @Override
    public String newId() {
      long millis;
      long high;
      long low;
      long now = System.currentTimeMillis();
      synchronized (this) {
        if (now > lastMillis) {
          ThreadLocalRandom random = ThreadLocalRandom.current();
          lastMillis = now;
          randomHigh = random.nextInt(1 << 16);
          randomLow = random.nextLong();
        } else if (++randomLow == 0 && (randomHigh = (randomHigh + 1) & 0xFFFF) == 0) {
          lastMillis++; // 80 bits ran out within one millisecond: borrow the next one
        }
        millis = lastMillis;
        high = randomHigh;
        low = randomLow;
      }
      long top = (millis << 16) | high; // 48 time bits, then the high 16 random bits
      char[] out = new char[26]; // 130 bits of base32 for 128 bits: the first digit holds 3
      for (int i = 25, shift = 0; i >= 0; i--, shift += 5) {
        out[i] = CROCKFORD[fiveBits(top, low, shift)];
      }
      return new String(out);
    }
  }
}
