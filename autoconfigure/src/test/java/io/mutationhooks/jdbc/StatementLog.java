package io.mutationhooks.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Records the statements the application sends to its database, as the JDBC driver gets them: one entry per
 * execution, {@code "batch of N: SQL"} for a batch of N parameter sets sent by one {@code executeBatch}, else the
 * SQL. Parameters are left out, so runs that write different rows the same way compare equal.
 */
public final class StatementLog {

	private final List<String> statements = new CopyOnWriteArrayList<>();

	/** The thread whose statements are recorded, {@literal null} when none is (db-scheduler polls on its own). */
	private volatile Thread recording;

	/** Records what {@code work} sends from the calling thread, and returns it. */
	public List<String> of(Runnable work) {
		this.statements.clear();
		this.recording = Thread.currentThread();
		try {
			work.run();
		}
		finally {
			this.recording = null;
		}
		return List.copyOf(this.statements);
	}

	private void executed(String statement) {
		if (this.recording == Thread.currentThread()) {
			this.statements.add(statement);
		}
	}

	private DataSource recording(DataSource dataSource) {
		return proxy(DataSource.class, dataSource, (method, args, result) -> result instanceof Connection connection
				? proxy(Connection.class, connection, this::statementOf) : result);
	}

	private Object statementOf(Method method, Object[] args, Object result) {
		if (result instanceof CallableStatement callable && args != null && args[0] instanceof String sql) {
			return proxy(CallableStatement.class, callable, new Recorder(sql));
		}
		if (result instanceof PreparedStatement prepared && args != null && args[0] instanceof String sql) {
			return proxy(PreparedStatement.class, prepared, new Recorder(sql));
		}
		if (result instanceof Statement statement && !(result instanceof PreparedStatement)) {
			return proxy(Statement.class, statement, new Recorder(null));
		}
		return result;
	}

	/** Records the executions of one statement. */
	private final class Recorder implements AfterCall {

		private final String sql;

		private final List<String> batch = new ArrayList<>();

		Recorder(String sql) {
			this.sql = sql;
		}

		@Override
		public Object after(Method method, Object[] args, Object result) {
			String name = method.getName();
			if (name.equals("addBatch")) {
				this.batch.add(args != null && args.length == 1 ? (String) args[0] : this.sql);
			}
			else if (name.equals("executeBatch") || name.equals("executeLargeBatch")) {
				executed("batch of " + this.batch.size() + ": " + (this.batch.isEmpty() ? this.sql : this.batch.get(0)));
				this.batch.clear();
			}
			else if (name.startsWith("execute")) {
				executed(args != null && args.length > 0 && args[0] instanceof String sql ? sql : this.sql);
			}
			return result;
		}

	}

	@FunctionalInterface
	private interface AfterCall {

		Object after(Method method, Object[] args, Object result) throws Exception;

	}

	@SuppressWarnings("unchecked")
	private static <T> T proxy(Class<T> type, T target, AfterCall after) {
		InvocationHandler handler = (proxy, method, args) -> {
			Object result;
			try {
				result = method.invoke(target, args);
			}
			catch (InvocationTargetException ex) {
				throw ex.getCause();
			}
			return after.after(method, args, result);
		};
		return (T) Proxy.newProxyInstance(StatementLog.class.getClassLoader(), new Class<?>[] { type }, handler);
	}

	/** Wraps the application's {@link DataSource} so that a {@link StatementLog} bean records its statements. */
	@TestConfiguration(proxyBeanMethods = false)
	public static class Recording {

		@Bean
		StatementLog statementLog() {
			return new StatementLog();
		}

		@Bean
		static BeanPostProcessor statementLogDataSource(org.springframework.beans.factory.ObjectProvider<StatementLog> log) {
			return new BeanPostProcessor() {
				@Override
				public Object postProcessAfterInitialization(Object bean, String beanName) {
					return bean instanceof DataSource dataSource ? log.getObject().recording(dataSource) : bean;
				}
			};
		}

	}

}
