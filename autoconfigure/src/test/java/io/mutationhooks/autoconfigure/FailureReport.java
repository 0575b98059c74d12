package io.mutationhooks.autoconfigure;

import java.util.List;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler;

/**
 * The Description and Action of Boot's "APPLICATION FAILED TO START" report for a start-up failure, from the failure
 * analyzers registered in META-INF/spring.factories, as Boot finds them.
 */
final class FailureReport {

	private FailureReport() {
	}

	/** The report of {@code failure}, or {@literal null} when no registered analyzer explains it. */
	static String of(Throwable failure) {
		// Analyzers that need the bean factory or environment are left out: none of ours does.
		List<FailureAnalyzer> analyzers = SpringFactoriesLoader.forDefaultResourceLocation()
			.load(FailureAnalyzer.class, null, FailureHandler.handleMessage((message, ex) -> {
			}));
		for (FailureAnalyzer analyzer : analyzers) {
			FailureAnalysis analysis = analyzer.analyze(failure);
			if (analysis != null) {
				return "Description:\n" + analysis.getDescription() + "\nAction:\n" + analysis.getAction();
			}
		}
		return null;
	}

}
