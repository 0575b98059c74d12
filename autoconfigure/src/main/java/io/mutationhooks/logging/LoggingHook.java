package io.mutationhooks.logging;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mutationhooks.Hook;
import io.mutationhooks.Mutation;
import io.mutationhooks.Mutator;
import io.mutationhooks.core.MutationTarget;
import io.mutationhooks.core.SafeText;

/**
 * Logs each write before and after it runs: entity type, operation, id and duration, at INFO on the
 * {@code io.mutationhooks.logging.LoggingHook} logger. Ids, queries and failures are logged escaped and cut, so
 * that a value from a row cannot forge or flood a log line.
 */
public final class LoggingHook implements Hook {

	private static final Logger logger = LoggerFactory.getLogger(LoggingHook.class);

	@Override
	public Mutator apply(Mutator next) {
		return mutation -> {
			if (!logger.isInfoEnabled()) {
				return next.mutate(mutation);
			}
			logger.info("{} {} {}: start", mutation.op(), mutation.type().getSimpleName(), MutationTarget.of(mutation));
			long start = System.nanoTime();
			try {
				Object result = next.mutate(mutation);
				String done = mutation.op() + " " + mutation.type().getSimpleName() + " "
						+ MutationTarget.of(mutation);
				logger.info("{}: done in {} ms", done, millis(start));
				// Done is not committed yet: a before-commit action or a later failure may still roll it back. The
				// action holds the text, not the mutation, whose old state (a page of a deleteAll()) would stay.
				mutation.transaction().afterRollback(() -> logger.info("{}: rolled back", done));
				return result;
			}
			catch (Exception | Error ex) {
				logger.info("{} {} {}: failed in {} ms: {}", mutation.op(), mutation.type().getSimpleName(),
						MutationTarget.of(mutation), millis(start), SafeText.message(ex.toString()));
				throw ex;
			}
		};
	}

	private static String millis(long start) {
		return String.format("%.3f", (System.nanoTime() - start) / 1_000_000.0);
	}

}
