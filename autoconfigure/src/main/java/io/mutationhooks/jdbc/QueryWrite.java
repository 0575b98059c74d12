package io.mutationhooks.jdbc;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.data.jdbc.repository.query.Modifying;
import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.core.NamedQueries;
import org.springframework.data.repository.core.RepositoryInformation;
import org.springframework.data.repository.query.parser.PartTree;

import io.mutationhooks.Op;

/**
 * A repository query method that writes without going through the template: a derived {@code deleteBy...} or
 * {@code removeBy...}, or a {@code @Modifying @Query}. Hooks run around it as a bulk write whose rows are unknown,
 * except for a derived delete whose rows are read first.
 *
 * @param domainType the aggregate type of the repository
 * @param op {@link Op#CREATE} for an {@code insert}, {@link Op#DELETE} for a delete, {@link Op#UPDATE} otherwise
 * @param method the method, as {@code UserRepository.deleteByName(String)}
 * @param derivedDelete how a derived delete reads its rows first, or {@literal null} for a write whose rows stay
 * unknown
 */
record QueryWrite(Class<?> domainType, Op op, String method, DerivedDelete derivedDelete) {

	/**
	 * The writing query methods of a repository.
	 * @param namedQueries the queries its factory knows by name (Spring Data JDBC's
	 * {@code META-INF/jdbc-named-queries.properties}), whose SQL a method of that name runs, as its {@code @Query}'s
	 * would; {@literal null} if they cannot be known, and then no method counts as a derived delete
	 */
	static Map<Method, QueryWrite> of(RepositoryInformation repository, NamedQueries namedQueries) {
		Map<Method, QueryWrite> writes = new LinkedHashMap<>();
		for (Method method : repository.getQueryMethods()) {
			String sql = sqlOf(method, repository.getDomainType(), namedQueries);
			Op op = opOf(method, sql, repository.getDomainType());
			if (op != null) {
				DerivedDelete derivedDelete = sql.isEmpty() && namedQueries != null ? DerivedDelete.of(method, repository)
						: null;
				writes.put(method,
						new QueryWrite(repository.getDomainType(), op, describe(repository, method), derivedDelete));
			}
		}
		return writes;
	}

	/**
	 * The SQL the method runs, in lower case: its {@code @Query}'s, else the named query of its name (as Spring Data
	 * JDBC looks one up: {@code @Query(name = ...)}, or {@code <DomainType>.<method>}); empty for neither.
	 */
	private static String sqlOf(Method method, Class<?> domainType, NamedQueries namedQueries) {
		Query query = AnnotatedElementUtils.findMergedAnnotation(method, Query.class);
		String sql = query == null ? "" : query.value();
		if (sql.isBlank() && namedQueries != null) {
			String name = query != null && !query.name().isBlank() ? query.name()
					: domainType.getSimpleName() + "." + method.getName();
			sql = namedQueries.hasQuery(name) ? namedQueries.getQuery(name) : "";
		}
		return sql.strip().toLowerCase(Locale.ROOT);
	}

	private static Op opOf(Method method, String sql, Class<?> domainType) {
		boolean modifying = AnnotatedElementUtils.hasAnnotation(method, Modifying.class);
		if (!sql.isEmpty()) {
			return !modifying ? null : opOf(sql);
		}
		if (isDerivedDelete(method, domainType)) {
			return Op.DELETE;
		}
		// A @Modifying named query: its text is elsewhere, so it counts as an update.
		return modifying ? Op.UPDATE : null;
	}

	/**
	 * What a modifying statement does, by its first word after comments: {@code insert} creates rows, {@code delete}
	 * removes them, anything else ({@code update}, {@code merge}, {@code with ...}) counts as an update.
	 */
	private static Op opOf(String sql) {
		String statement = sql.replaceAll("(?s)^(\\s|/\\*.*?\\*/|--[^\\n]*(\\n|$))*", "");
		String verb = statement.split("[\\s(]", 2)[0];
		return switch (verb) {
			case "insert" -> Op.CREATE;
			case "delete" -> Op.DELETE;
			default -> Op.UPDATE;
		};
	}

	private static boolean isDerivedDelete(Method method, Class<?> domainType) {
		try {
			return new PartTree(method.getName(), domainType).isDelete();
		}
		catch (RuntimeException notDerived) {
			return false;
		}
	}

	private static String describe(RepositoryInformation repository, Method method) {
		return repository.getRepositoryInterface().getSimpleName() + "." + method.getName() + "("
				+ Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName).collect(Collectors.joining(", "))
				+ ")";
	}

}
