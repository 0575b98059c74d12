package io.mutationhooks.transaction;

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
 * {@code beforeCompletion}, right before it commits, and rolls back if one throws. A transaction that registered
 * none costs one look at its synchronizations.
 */
public final class MissedBeforeCommits implements TransactionExecutionListener {

	private MissedBeforeCommits() {
	}

	/**
	 * Adds the listener, once, to every {@link PlatformTransactionManager} bean that takes listeners (Spring's own
	 * all do): the one Boot configures and those the application declares alike.
	 */
	public static BeanPostProcessor installer() {
		return new BeanPostProcessor() {
			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				if (bean instanceof PlatformTransactionManager manager) {
					addTo(manager);
				}
				return bean;
			}
		};
	}

	/** Adds the listener to {@code transactionManager}, unless it has it, if it takes listeners. */
	private static void addTo(PlatformTransactionManager transactionManager) {
		if (transactionManager instanceof ConfigurableTransactionManager configurable && configurable
			.getTransactionExecutionListeners()
			.stream()
			.noneMatch(MissedBeforeCommits.class::isInstance)) {
			configurable.addListener(new MissedBeforeCommits());
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
