package dev.correlation.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/**
 * Captures what a logger (and its children) writes, for assertions; thread safe, so events from
 * consumer and pool threads are kept too. Each event's MDC is frozen when it is logged. Close to
 * detach.
 */
public final class LogCapture implements AutoCloseable {
  private final Logger logger;
  private final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();
  private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
    @Override
    protected void append(ILoggingEvent event) {
      event.prepareForDeferredProcessing(); // copies the MDC now, on the logging thread
      events.add(event);
    }
  };

  /** Captures the logger named after {@code loggerClass}. */
  public LogCapture(Class<?> loggerClass) {
    this(loggerClass.getName());
  }

  /** Captures the named logger; {@code org.slf4j.Logger.ROOT_LOGGER_NAME} captures everything. */
  public LogCapture(String loggerName) {
    logger = (Logger) LoggerFactory.getLogger(loggerName);
    appender.setContext(logger.getLoggerContext());
    appender.start();
    logger.addAppender(appender);
  }

  /** The formatted messages of the WARN events so far. */
  public List<String> warnings() {
    return events.stream()
        .filter(e -> e.getLevel() == Level.WARN)
        .map(ILoggingEvent::getFormattedMessage)
        .collect(Collectors.toList());
  }

  /** Every event so far. */
  public List<ILoggingEvent> events() {
    return List.copyOf(events);
  }

  /** Every event so far rendered through a Logback pattern, e.g. {@code %X{correlation_id} %m}. */
  public List<String> lines(String pattern) {
    PatternLayout layout = new PatternLayout();
    layout.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
    layout.setPattern(pattern);
    layout.start();
    try {
      return events.stream().map(layout::doLayout).collect(Collectors.toList());
    } finally {
      layout.stop();
    }
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    appender.stop();
  }
}
