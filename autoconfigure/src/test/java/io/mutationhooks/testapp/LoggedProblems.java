package io.mutationhooks.testapp;

import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

/**
 * Keeps the warnings and errors every logger writes while it is open, so that a test that fails under load can say
 * what went wrong on the threads it does not see (db-scheduler's, the effects').
 */
public final class LoggedProblems implements AutoCloseable {

	private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

	private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

	public LoggedProblems() {
		this.appender.start();
		this.root.addAppender(this.appender);
	}

	/** The warnings and errors logged so far, one line each, with the first line of each cause. */
	public List<String> lines() {
		return List.copyOf(this.appender.list)
			.stream()
			.filter(event -> event.getLevel().isGreaterOrEqual(Level.WARN))
			.map(LoggedProblems::line)
			.toList();
	}

	private static String line(ILoggingEvent event) {
		StringBuilder line = new StringBuilder().append(event.getLevel())
			.append(" [")
			.append(event.getThreadName())
			.append("] ")
			.append(event.getLoggerName())
			.append(": ")
			.append(event.getFormattedMessage());
		for (IThrowableProxy cause = event.getThrowableProxy(); cause != null; cause = cause.getCause()) {
			line.append(" <- ").append(cause.getClassName()).append(": ").append(cause.getMessage());
		}
		return line.toString();
	}

	@Override
	public void close() {
		this.root.detachAppender(this.appender);
		this.appender.stop();
	}

}
