package io.mutationhooks.jdbc;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.relational.core.conversion.RelationalConverter;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.data.relational.core.mapping.RelationalPersistentEntity;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.ResourceTransactionManager;
import org.springframework.transaction.support.TransactionOperations;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.mutationhooks.Hook;
import io.mutationhooks.HookRegistry;
import io.mutationhooks.Mutator;
import io.mutationhooks.TransactionHooks;
import io.mutationhooks.core.DefaultHookRegistry;
import io.mutationhooks.core.DefaultMutation.Batch;
import io.mutationhooks.core.DefaultMutation;
import io.mutationhooks.core.DeferredTransactionHooks;
import io.mutationhooks.core.MutationExecutor;
import io.mutationhooks.core.PreparingHook;
import io.mutationhooks.core.WriteObserver;
import io.mutationhooks.transaction.SpringTransactionHooks;

/**
 * Runs Spring Data JDBC writes through the registered hooks, each call in one transaction that joins the caller's
 * or opens its own.
 */
public final class MutationRunner {

	private static final Logger logger = LoggerFactory.getLogger(MutationRunner.class);

	private final HookRegistry registry;

	private final RelationalConverter converter;

	private final PlatformTransactionManager transactionManager;

	private final TransactionOperations transactions;

	private final Map<Class<?>, JdbcEntityModel<?>> models = new ConcurrentHashMap<>();

	private final RowLocks rowLocks;

	private WriteObserver writeObserver = WriteObserver.NONE;

	/**
	 * @param registry the hooks
	 * @param converter the converter of the mapped entities
	 * @param transactionManager the transaction manager of the repositories' data source, or {@literal null} to write
	 * without transactions
	 */
	public MutationRunner(HookRegistry registry, RelationalConverter converter,
			PlatformTransactionManager transactionManager) {
		this(registry, converter, transactionManager, null);
	}

	/**
	 * @param registry the hooks
	 * @param converter the converter of the mapped entities
	 * @param transactionManager the transaction manager of the repositories' data source, or {@literal null} to write
	 * without transactions
	 * @param rowLocks locks the rows whose old state is read, or {@literal null} to lock them through Spring Data's
	 * data access strategy
	 */
	public MutationRunner(HookRegistry registry, RelationalConverter converter,
			PlatformTransactionManager transactionManager, RowLocks rowLocks) {
		this.rowLocks = rowLocks;
		this.registry = Objects.requireNonNull(registry, "registry must not be null");
		this.converter = Objects.requireNonNull(converter, "converter must not be null");
		this.transactionManager = transactionManager;
		if (transactionManager == null) {
			logger.warn("No transaction manager for the data source Spring Data JDBC writes to: hooks run without a "
					+ "transaction, so a hook that fails after the write cannot undo it");
		}
		this.transactions = transactionManager != null ? new TransactionTemplate(transactionManager)
				: TransactionOperations.withoutTransaction();
	}

	/** The hook registry. */
	public HookRegistry registry() {
		return this.registry;
	}

	/**
	 * Tells {@code observer} of every hooked write this runner runs, from now on.
	 * @param observer the observer; {@link WriteObserver#NONE}, the default, observes nothing and costs nothing
	 */
	public void setWriteObserver(WriteObserver observer) {
		this.writeObserver = Objects.requireNonNull(observer, "observer must not be null");
	}

	/** What is told of every hooked write this runner runs. */
	public WriteObserver writeObserver() {
		return this.writeObserver;
	}

	/** Locks the rows whose old state is read, or {@literal null} to lock them through the data access strategy. */
	RowLocks rowLocks() {
		return this.rowLocks;
	}

	/** How many ids a statement that reads, locks or deletes rows by id names at most: 1000, or 100 on H2. */
	int idsPerStatement() {
		return this.rowLocks != null ? this.rowLocks.idsPerStatement() : RowLocks.IDS_PER_STATEMENT;
	}

	/**
	 * What runs around writes of {@code type}, in running order: the starter's registry gives the hooks as they run
	 * for the type (and names them in failures); another implementation, its {@code hooksFor}.
	 */
	List<Hook> hooksFor(Class<?> type) {
		return this.registry instanceof DefaultHookRegistry registry ? registry.chainFor(type)
				: this.registry.hooksFor(type);
	}

	/**
	 * Runs {@code work} in one transaction; transaction hooks registered inside run with it, or, without a
	 * transaction, when the work ends.
	 */
	<R> R inTransaction(Function<TransactionHooks, R> work) {
		if (joinsCurrentTransaction()) {
			// Joining costs nothing on success; on failure, mark the transaction rollback-only as joining would.
			try {
				return work.apply(SpringTransactionHooks.current());
			}
			catch (RuntimeException | Error ex) {
				this.transactionManager.rollback(this.transactionManager.getTransaction(TransactionDefinition.withDefaults()));
				throw ex;
			}
		}
		return this.transactions.execute(status -> {
			TransactionHooks hooks = SpringTransactionHooks.current();
			if (!(hooks instanceof DeferredTransactionHooks deferred)) {
				return work.apply(hooks);
			}
			R result;
			try {
				result = work.apply(deferred);
			}
			catch (RuntimeException | Error ex) {
				deferred.failed();
				throw ex;
			}
			deferred.succeeded();
			return result;
		});
	}

	/**
	 * Lets the {@link PreparingHook}s do their remote work for the creates among the entities of {@code batch} before
	 * a transaction opens: only when none is open, since inside a caller's transaction the connection is taken
	 * already, and the hooks then do the work when they run.
	 * @param batch the entities of one save call
	 * @param allCreates whether every entity is created (an insert), rather than those Spring Data finds new
	 * @return whether anything was prepared
	 */
	boolean prepareCreates(Batch batch, boolean allCreates) {
		Map<Class<?>, List<Object>> creates = null;
		for (Object entity : batch.entities()) {
			@SuppressWarnings("unchecked")
			Class<Object> type = (Class<Object>) entity.getClass();
			if (prepares(type) && (allCreates || model(type).isNew(entity))) {
				if (creates == null) {
					creates = new LinkedHashMap<>();
				}
				creates.computeIfAbsent(type, key -> new ArrayList<>()).add(entity);
			}
		}
		// Types without preparing hooks (the usual case) cost no look at the transaction.
		if (creates == null || joinsCurrentTransaction()) {
			return false;
		}
		creates.forEach((type, entities) -> {
			for (Hook hook : hooksFor(type)) {
				if (hook instanceof PreparingHook preparing) {
					preparing.prepareCreates(type, entities, batch.attributes());
				}
			}
		});
		return true;
	}

	/** Whether a hook of {@code type} prepares work before the transaction of a create. */
	boolean prepares(Class<?> type) {
		return this.registry instanceof DefaultHookRegistry registry ? registry.prepares(type)
				: anyPreparing(this.registry.hooksFor(type));
	}

	private static boolean anyPreparing(List<Hook> hooks) {
		for (Hook hook : hooks) {
			if (hook instanceof PreparingHook) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether a transaction of this manager is open on this thread: its connection is bound and out of auto-commit.
	 * A connection bound outside a transaction (a read under SUPPORTS, or inside another manager's transaction) does
	 * not count: such writes go through the transaction template, which opens a real transaction.
	 */
	private boolean joinsCurrentTransaction() {
		if (!(this.transactionManager instanceof ResourceTransactionManager manager)
				|| !TransactionSynchronizationManager.isActualTransactionActive()
				|| !(TransactionSynchronizationManager.getResource(manager.getResourceFactory()) instanceof ConnectionHolder holder)) {
			return false;
		}
		try {
			return !holder.getConnection().getAutoCommit();
		}
		catch (SQLException | IllegalStateException ex) {
			return false;
		}
	}

	/** Runs one mutation through the hooks of its type to {@code write}. */
	Object execute(DefaultMutation<?> mutation, Mutator write) {
		return execute(hooksFor(mutation.type()), mutation, write);
	}

	/** Runs one mutation through {@code hooks}, the hooks of its type already looked up, to {@code write}. */
	Object execute(List<Hook> hooks, DefaultMutation<?> mutation, Mutator write) {
		return MutationExecutor.execute(hooks, mutation, write, this.writeObserver);
	}

	@SuppressWarnings("unchecked")
	<T> JdbcEntityModel<T> model(Class<T> type) {
		JdbcEntityModel<?> model = this.models.get(type);
		if (model == null) {
			model = this.models.computeIfAbsent(type, key -> new JdbcEntityModel<>(
					(RelationalPersistentEntity<Object>) this.converter.getMappingContext().getRequiredPersistentEntity(key),
					this.converter));
		}
		return (JdbcEntityModel<T>) model;
	}

}
