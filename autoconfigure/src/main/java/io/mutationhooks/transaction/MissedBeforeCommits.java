package io.mutationhooks.transaction;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.transaction.ConfigurableTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionExecution;
import org.springframework.transaction.TransactionExecutionListener;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Runs the {@code beforeCommit} of the {@link RequiredBeforeCommit} synchronizations that Spring did not call: those
 * registered while the transaction's synchronizations ran their own {@code beforeCommit}. A transaction manager calls
 * its listeners' {@code beforeCommit} after every synchronization's {@code beforeCommit} and
 * {@code beforeCompletion}, right before it commits, and rolls back if one throws. Each commit of a new transaction
 * costs a copy of its synchronizations (as each of Spring's own phases makes), and nothing more where none missed
 * its work. Scopes that do not own their transaction (joining one Spring did not begin) get no listener call.
 */
public final class MissedBeforeCommits implements TransactionExecutionListener {

	private MissedBeforeCommits() {
	}

	/**
	 * Adds the listener, once, to every {@link PlatformTransactionManager} bean that takes listeners (a
	 * {@link ConfigurableTransactionManager}, as Spring's own all are): the one Boot configures and those the
	 * application declares alike. It is added to the bean itself, before a proxy may wrap it.
	 */
	public static BeanPostProcessor installer() {
		return new BeanPostProcessor() {
			@Override
			public Object postProcessBeforeInitialization(Object bean, String beanName) {
				if (bean instanceof PlatformTransactionManager manager && !AopUtils.isAopProxy(bean)) {
					addTo(manager);
				}
				return bean;
			}
		};
	}

	/** Adds the listener to {@code transactionManager}, unless it has it, if it takes listeners. */
	private static void addTo(PlatformTransactionManager transactionManager) {
		if (!(transactionManager instanceof ConfigurableTransactionManager configurable)) {
			return;
		}
		Collection<TransactionExecutionListener> listeners = configurable.getTransactionExecutionListeners();
		if (listeners.stream().anyMatch(MissedBeforeCommits.class::isInstance)) {
			return;
		}
		try {
			configurable.addListener(new MissedBeforeCommits());
		}
		catch (UnsupportedOperationException ex) {
			// The application set listeners the manager cannot add to.
			List<TransactionExecutionListener> added = new ArrayList<>(listeners);
			added.add(new MissedBeforeCommits());
			configurable.setTransactionExecutionListeners(added);
		}
	}

	@Override
	public void beforeCommit(TransactionExecution transaction) {
		// A savepoint's release is no commit: the outer transaction's synchronizations run when it commits.
		if (!transaction.isNewTransaction() || !TransactionSynchronizationManager.isSynchronizationActive()) {
			return;
		}
		// What runs here may register more (a before-commit action that writes): until a round runs none.
		boolean ranAny;
		do {
			ranAny = false;
			for (TransactionSynchronization synchronization : TransactionSynchronizationManager.getSynchronizations()) {
				if (synchronization instanceof RequiredBeforeCommit required && required.runBeforeCommitUnlessDone()) {
					ranAny = true;
				}
			}
		}
		while (ranAny);
	}

}
