package dev.correlation;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One open scope: a link in the owning thread's stack of contexts.
 *
 * <p>The stack makes every close order safe: closing marks a frame closed, then the owning thread
 * pops every closed frame from the top, each restoring the MDC values it replaced. So an outer
 * scope closed before an inner one takes effect when the inner one closes, and a scope closed on a
 * foreign thread is dropped by its owner at the owner's next read of its context (current, open,
 * capture for a wrapped task) or next close, whichever comes first.
 */
final class Frame implements Scope {
  private static final Logger LOG = LoggerFactory.getLogger(Scope.class);
  /**
   * Each thread's stack: {@code [0]} its innermost open frame (or null), {@code [1]} the thread.
   * One thread-local lookup per open; the frame keeps its thread's array, so closing it and
   * reading the top need none. An array, not a class of ours, so that a thread with nothing open
   * pins no class loader of ours (application servers check that).
   */
  private static final ThreadLocal<Object[]> STACKS =
      ThreadLocal.withInitial(() -> new Object[] {null, Thread.currentThread()});

  private static final VarHandle CLOSED;

  static {
    try {
      CLOSED = MethodHandles.lookup().findVarHandle(Frame.class, "closed", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Object[] stack; // the owning thread's: see STACKS
  final @Nullable CorrelationContext context;
  final @Nullable MdcKeys mdc;
  private final @Nullable Frame parent;
  private volatile boolean closed;
  // MDC values this frame replaced; restored only where this frame changed something.
  private @Nullable String previousCorrelation;
  private @Nullable String previousMessage;
  private @Nullable String previousCausation;
  private byte changed; // bit 0: correlation, bit 1: message, bit 2: causation
  // What the configured decorators return: null (none), one Undo, or an Undo[] in call order.
  private @Nullable Object undo;

  private Frame(Object[] stack, @Nullable CorrelationContext context, @Nullable MdcKeys mdc,
      @Nullable Frame parent) {
    this.stack = stack;
    this.context = context;
    this.mdc = mdc;
    this.parent = parent;
  }

  /** The context of the innermost open scope of this thread, or null. */
  static @Nullable CorrelationContext current() {
    Frame top = top();
    return top == null ? null : top.context;
  }

  /**
   * The innermost open frame of this thread, after dropping frames on top that were closed from
   * another thread (restoring their MDC values here, on the owner). One volatile read when there
   * is nothing to drop.
   */
  static @Nullable Frame top() {
    return top(STACKS.get());
  }

  private static @Nullable Frame top(Object[] stack) {
    Frame top = (Frame) stack[0];
    if (top != null && top.closed) {
      top = popClosed(top);
      stack[0] = top;
    }
    return top;
  }

  private static @Nullable Frame popClosed(@Nullable Frame top) {
    Frame frame = top;
    while (frame != null && frame.closed) {
      frame.restoreMdc();
      frame = frame.parent;
    }
    return frame;
  }

  /**
   * Opens {@code context} (null: explicitly none) on this thread and writes it to {@code mdc}
   * (null: MDC untouched).
   */
  static Frame open(@Nullable CorrelationContext context, @Nullable MdcKeys mdc) {
    Object[] stack = STACKS.get();
    Frame frame = new Frame(stack, context, mdc, top(stack));
    if (mdc != null) {
      frame.writeMdc();
    }
    stack[0] = frame;
    return frame;
  }

  /**
   * Reopens a captured frame's context on this thread (another thread, typically). With nothing
   * captured, shields the task from whatever this thread has open, and from our MDC keys that an
   * inheriting MDC adapter (SLF4J's {@code BasicMDCAdapter}, Log4j2's inheritable thread context)
   * copied into the thread when it was created inside a flow; nothing to do when the thread has
   * neither.
   */
  static Scope reopen(@Nullable Frame captured) {
    if (captured != null) {
      return open(captured.context, captured.mdc);
    }
    MdcKeys keys = Correlation.config().mdcKeys();
    if (top() == null && (keys == null || !keys.anyPresent())) {
      return NOOP;
    }
    return open(null, keys);
  }

  private static final Scope NOOP = () -> { };

  private void writeMdc() {
    MdcKeys keys = mdc;
    CorrelationContext ctx = context;
    if (keys == null) {
      return;
    }
    if (!keys.mdc) {
      decorate(keys, ctx);
    } else if (ctx == null) {
      replace(keys.correlation, null, 0);
      replace(keys.message, null, 1);
      replace(keys.causation, null, 2);
    } else {
      replace(keys.correlation, ctx.correlationId(), 0);
      replace(keys.message, ctx.messageId(), 1);
      replace(keys.causation, ctx.causationId(), 2);
    }
    if (keys.decorators.length != 0 && keys.mdc) {
      decorate(keys, ctx);
    }
  }

  private void decorate(MdcKeys keys, @Nullable CorrelationContext ctx) {
    ScopeDecorator[] decorators = keys.decorators;
    if (decorators.length == 1) {
      undo = call(decorators[0], ctx, keys);
      return;
    }
    ScopeDecorator.Undo[] undos = new ScopeDecorator.Undo[decorators.length];
    for (int i = 0; i < decorators.length; i++) {
      undos[i] = call(decorators[i], ctx, keys);
    }
    undo = undos;
  }

  private static ScopeDecorator.Undo call(ScopeDecorator decorator,
      @Nullable CorrelationContext ctx, MdcKeys keys) {
    try {
      ScopeDecorator.Undo undo = decorator.decorate(ctx);
      return undo != null ? undo : ScopeDecorator.Undo.NONE;
    } catch (RuntimeException e) {
      keys.log.report(Problem.DECORATOR_FAILED, "Scope decorator ",
          decorator.getClass().getName(), null, "skipped for this scope", e);
      return ScopeDecorator.Undo.NONE;
    }
  }

  private void undoDecorators(MdcKeys keys) {
    Object what = undo;
    if (what == null) {
      return;
    }
    if (what instanceof ScopeDecorator.Undo) {
      run((ScopeDecorator.Undo) what, keys);
      return;
    }
    ScopeDecorator.Undo[] undos = (ScopeDecorator.Undo[]) what;
    for (int i = undos.length - 1; i >= 0; i--) { // reverse order, like nested scopes
      run(undos[i], keys);
    }
  }

  private static void run(ScopeDecorator.Undo undo, MdcKeys keys) {
    try {
      undo.undo();
    } catch (RuntimeException e) {
      keys.log.report(Problem.DECORATOR_FAILED, "Undo of scope decorator ",
          undo.getClass().getName(), null, "skipped", e);
    }
  }

  private void replace(String key, @Nullable String value, int bit) {
    String previous = MDC.get(key);
    if (previous == null ? value == null : previous.equals(value)) {
      return; // already right: nothing to write, nothing to restore
    }
    switch (bit) {
      case 0 -> previousCorrelation = previous;
      case 1 -> previousMessage = previous;
      default -> previousCausation = previous;
    }
    changed |= (byte) (1 << bit);
    MdcKeys.set(key, value);
  }

  private void restoreMdc() {
    MdcKeys keys = mdc;
    if (keys == null) {
      return;
    }
    undoDecorators(keys);
    if (changed == 0) {
      return;
    }
    if ((changed & 1) != 0) {
      MdcKeys.set(keys.correlation, previousCorrelation);
    }
    if ((changed & 2) != 0) {
      MdcKeys.set(keys.message, previousMessage);
    }
    if ((changed & 4) != 0) {
      MdcKeys.set(keys.causation, previousCausation);
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    // A release store, not a volatile one: no full fence per scope on the owner's path. The owner
    // reads with a volatile load, so a close on another thread still becomes visible to it, and
    // anything that orders the two threads (a latch, a queue) orders this store with them.
    CLOSED.setRelease(this, true);
    Object[] threadStack = stack;
    if (Thread.currentThread() != threadStack[1]) {
      // Touching the owner's stack would corrupt it; the owner drops us at its next close.
      if (LOG.isDebugEnabled()) {
        LOG.debug("Scope of thread {} closed on thread {}; the owning thread drops it at its next "
            + "read or close of a scope", LogSafe.escape(((Thread) threadStack[1]).getName()),
            LogSafe.escape(Thread.currentThread().getName()));
      }
      return;
    }
    Frame top = (Frame) threadStack[0];
    if (top != this) {
      LOG.debug("Scope closed out of order; it is dropped when the scopes opened after it close");
    }
    threadStack[0] = popClosed(top);
  }

  @Override
  public String toString() {
    return "Scope{" + context + (closed ? ", closed}" : "}");
  }
}
