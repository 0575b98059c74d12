package io.mutationhooks.jdbc;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

import org.springframework.core.convert.support.DefaultConversionService;
import org.springframework.data.domain.Sort;
import org.springframework.data.jdbc.core.JdbcAggregateOperations;
import org.springframework.data.jdbc.core.convert.JdbcConverter;
import org.springframework.data.jdbc.core.convert.QueryMapper;
import org.springframework.data.jdbc.repository.query.EscapingParameterSource;
import org.springframework.data.jdbc.repository.query.JdbcQueryMethod;
import org.springframework.data.projection.SpelAwareProxyProjectionFactory;
import org.springframework.data.relational.core.dialect.Dialect;
import org.springframework.data.relational.core.dialect.Escaper;
import org.springframework.data.relational.core.dialect.RenderContextFactory;
import org.springframework.data.relational.core.mapping.RelationalMappingContext;
import org.springframework.data.relational.core.mapping.RelationalPersistentEntity;
import org.springframework.data.relational.core.mapping.RelationalPersistentProperty;
import org.springframework.data.relational.core.query.Criteria;
import org.springframework.data.relational.core.sql.Column;
import org.springframework.data.relational.core.sql.Condition;
import org.springframework.data.relational.core.sql.LockMode;
import org.springframework.data.relational.core.sql.Select;
import org.springframework.data.relational.core.sql.SelectBuilder.SelectWhere;
import org.springframework.data.relational.core.sql.StatementBuilder;
import org.springframework.data.relational.core.sql.Table;
import org.springframework.data.relational.core.sql.render.SqlRenderer;
import org.springframework.data.relational.repository.query.RelationalParametersParameterAccessor;
import org.springframework.data.relational.repository.query.RelationalQueryCreator;
import org.springframework.data.repository.core.RepositoryMetadata;
import org.springframework.data.repository.core.support.PropertiesBasedNamedQueries;
import org.springframework.data.repository.query.parser.PartTree;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcOperations;
import org.springframework.util.ClassUtils;

/**
 * A derived {@code deleteBy...} or {@code removeBy...} repository method, run so that hooks know its rows: Spring
 * Data's own statements delete whatever matches when they run and only count it, so the starter instead selects the
 * ids the method's criteria match, locking their root rows, and deletes exactly those aggregates by id.
 * <p>
 * The criteria are Spring Data's: the method's {@link PartTree} through {@link RelationalQueryCreator} and
 * {@link QueryMapper}, on the root table, as Spring Data JDBC's own derived delete builds them.
 */
final class DerivedDelete {

	private final Method method;

	private final RepositoryMetadata repository;

	private final PartTree tree;

	/** What the calls share, built on the first: it needs the mapping context, which exists only once writes run. */
	private volatile Statement statement;

	private DerivedDelete(Method method, RepositoryMetadata repository, PartTree tree) {
		this.method = method;
		this.repository = repository;
		this.tree = tree;
	}

	/**
	 * {@code method} as a derived delete whose rows can be read first, or {@literal null} if it is no derived delete,
	 * or returns something other than nothing, a boolean or a number.
	 */
	static DerivedDelete of(Method method, RepositoryMetadata repository) {
		PartTree tree;
		try {
			tree = new PartTree(method.getName(), repository.getDomainType());
		}
		catch (RuntimeException notDerived) {
			return null;
		}
		return tree.isDelete() && returnsCount(method.getReturnType())
				? new DerivedDelete(method, repository, tree) : null;
	}

	/**
	 * Whether Spring Data JDBC returns the count of deleted rows as this type: nothing, a boolean (whether any was
	 * deleted) or a number. It fails on a collection or an entity, and other types are left to it.
	 */
	private static boolean returnsCount(Class<?> type) {
		Class<?> wrapper = wrapperOf(type);
		return wrapper == Void.class || wrapper == Boolean.class || Number.class.isAssignableFrom(wrapper)
				&& DefaultConversionService.getSharedInstance().canConvert(Integer.class, wrapper);
	}

	/** The wrapper of a primitive type, {@code void} included. */
	private static Class<?> wrapperOf(Class<?> type) {
		return type == void.class ? Void.class : ClassUtils.resolvePrimitiveIfNecessary(type);
	}

	/**
	 * Whether the rows can be read first: the aggregate's id is one column. A composite id leaves the method to
	 * Spring Data, with its rows unknown.
	 */
	boolean readsRows(RelationalMappingContext context) {
		RelationalPersistentProperty id = context.getRequiredPersistentEntity(this.repository.getDomainType())
			.getIdProperty();
		return id != null && !id.isEmbedded();
	}

	/**
	 * Selects the ids of the aggregates a call of the method with {@code arguments} deletes, locking their root rows
	 * ({@code SELECT id ... WHERE <criteria> ORDER BY id FOR UPDATE}), so that until the transaction ends no other
	 * one changes or deletes them.
	 * @param target the template without hooks
	 */
	List<Object> lockMatching(Object[] arguments, JdbcAggregateOperations target) {
		Statement statement = statement(target);
		MapSqlParameterSource parameters = new MapSqlParameterSource();
		Criteria criteria = new CriteriaCreator(this.tree,
				new RelationalParametersParameterAccessor(statement.queryMethod, arguments)).createQuery();
		SelectWhere select = StatementBuilder.select(statement.idColumn).from(statement.table);
		Select sql = (criteria == null || criteria.isEmpty() ? select
				: select.where(statement.mapper.getMappedObject(parameters, criteria, statement.table,
						statement.entity)))
			.orderBy(statement.idColumn)
			.lock(LockMode.PESSIMISTIC_WRITE)
			.build();
		List<Object> ids = new ArrayList<>();
		statement.jdbc
			.queryForList(statement.renderer.render(sql), new EscapingParameterSource(parameters, statement.escaper),
					Object.class)
			.forEach(id -> ids.add(statement.converter.readValue(id, statement.id.getTypeInformation())));
		return ids;
	}

	/** What the method returns for {@code deleted} aggregates, converted as Spring Data converts its count. */
	Object result(int deleted) {
		Class<?> type = wrapperOf(this.method.getReturnType());
		if (type == Void.class) {
			return null;
		}
		if (type == Boolean.class) {
			return deleted != 0;
		}
		return DefaultConversionService.getSharedInstance().convert(deleted, type);
	}

	private Statement statement(JdbcAggregateOperations target) {
		Statement statement = this.statement;
		if (statement == null) {
			statement = new Statement(this.method, this.repository, target);
			this.statement = statement;
		}
		return statement;
	}

	/** The parts of the locking select that do not depend on the arguments. */
	private static final class Statement {

		final JdbcQueryMethod queryMethod;

		final JdbcConverter converter;

		final NamedParameterJdbcOperations jdbc;

		final Escaper escaper;

		final RelationalPersistentEntity<?> entity;

		final RelationalPersistentProperty id;

		final Table table;

		final Column idColumn;

		final QueryMapper mapper;

		final SqlRenderer renderer;

		Statement(Method method, RepositoryMetadata repository, JdbcAggregateOperations target) {
			this.converter = target.getConverter();
			this.queryMethod = new JdbcQueryMethod(method, repository, new SpelAwareProxyProjectionFactory(),
					PropertiesBasedNamedQueries.EMPTY, this.converter.getMappingContext());
			this.jdbc = target.getDataAccessStrategy().getJdbcOperations();
			this.entity = this.queryMethod.getEntityInformation().getTableEntity();
			this.id = this.entity.getRequiredIdProperty();
			this.table = Table.create(this.queryMethod.getEntityInformation().getTableName());
			this.idColumn = this.table.column(this.id.getColumnName());
			this.mapper = new QueryMapper(this.converter);
			Dialect dialect = target.getDataAccessStrategy().getDialect();
			this.escaper = dialect.getLikeEscaper();
			this.renderer = SqlRenderer.create(new RenderContextFactory(dialect).createRenderContext());
		}

	}

	/** The criteria of a part tree, as Spring Data's query creators build them. */
	private static final class CriteriaCreator extends RelationalQueryCreator<Criteria> {

		CriteriaCreator(PartTree tree, RelationalParametersParameterAccessor accessor) {
			super(tree, accessor);
		}

		@Override
		protected Criteria complete(Criteria criteria, Sort sort) {
			return criteria;
		}

	}

}
