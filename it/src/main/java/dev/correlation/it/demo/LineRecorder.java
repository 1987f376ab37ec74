package dev.correlation.it.demo;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * Records what the {@code shop} loggers write, at INFO, with the MDC each line was logged with
 * (read on the logging thread), and can echo each line as it arrives. While it records, it is the
 * only output of those loggers.
 */
public final class LineRecorder implements AutoCloseable {
  private final List<LogLine> lines = new CopyOnWriteArrayList<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(ShopFlow.LOGGER_PREFIX);
  private final AppenderBase<ILoggingEvent> appender;
  private final ch.qos.logback.classic.Level previousLevel;
  private final boolean previousAdditive;

  /** Starts recording; {@code echo} sees each line on the logging thread. */
  public LineRecorder(Consumer<LogLine> echo) {
    appender = new AppenderBase<>() {
      @Override
      protected void append(ILoggingEvent event) {
        Map<String, String> mdc = event.getMDCPropertyMap(); // on the logging thread: its MDC
        LogLine line = new LogLine(
            event.getLoggerName().substring(ShopFlow.LOGGER_PREFIX.length() + 1),
            event.getThreadName(), mdc.get("correlation_id"), mdc.get("message_id"),
            mdc.get("causation_id"), event.getFormattedMessage());
        lines.add(line);
        echo.accept(line);
      }
    };
    appender.setContext(logger.getLoggerContext());
    appender.start();
    previousLevel = logger.getLevel();
    previousAdditive = logger.isAdditive();
    // The services log at INFO; the recorder is their only output (echo prints, if asked).
    logger.setLevel(ch.qos.logback.classic.Level.INFO);
    logger.setAdditive(false);
    logger.addAppender(appender);
  }

  /** Every line so far. */
  public List<LogLine> lines() {
    return List.copyOf(lines);
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    logger.setLevel(previousLevel);
    logger.setAdditive(previousAdditive);
    appender.stop();
  }
}
