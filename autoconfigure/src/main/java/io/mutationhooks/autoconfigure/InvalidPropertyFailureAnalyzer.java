package io.mutationhooks.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a property of the starter set to a value it cannot work with into Boot's start-up failure report. */
class InvalidPropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidPropertyException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidPropertyException cause) {
		String value = cause.value() == null ? "no value" : "'" + cause.value() + "'";
		return new FailureAnalysis("Property " + cause.property() + " is set to " + value + ": " + cause.problem(),
				cause.action(), cause);
	}

}
