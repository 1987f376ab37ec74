package dev.correlation;

import org.jspecify.annotations.Nullable;

/**
 * Where the current thread's open scopes live. A seam so that a ScopedValue or
 * context-propagation backend can replace the thread local later; everything else talks to this.
 */
interface ContextStorage {
  /** The innermost open frame of the current thread, or null. */
  @Nullable Frame top();

  /** Makes {@code frame} the innermost open frame of the current thread; null clears. */
  void top(@Nullable Frame frame);

  /** The default storage: one thread local. */
  static ContextStorage threadLocal() {
    return ThreadLocalStorage.INSTANCE;
  }
}

final class ThreadLocalStorage implements ContextStorage {
  static final ThreadLocalStorage INSTANCE = new ThreadLocalStorage();
  private static final ThreadLocal<@Nullable Frame> TOP = new ThreadLocal<>();

  private ThreadLocalStorage() {}

  @Override
  public @Nullable Frame top() {
    return TOP.get();
  }

  @Override
  public void top(@Nullable Frame frame) {
    // set(null), not remove(): remove() drops the map entry and the next open allocates a new
    // one. A null value pins nothing (the key is a static, the value empty).
    TOP.set(frame);
  }
}
