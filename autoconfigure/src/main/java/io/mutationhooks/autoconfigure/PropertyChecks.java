package io.mutationhooks.autoconfigure;

import java.time.Duration;

/**
 * Checks shared by the starter's properties, each wrong value failing start-up with an
 * {@link InvalidPropertyException} naming its property. Needs no optional class (AWS SDK, db-scheduler), so that any
 * auto-configuration can use it.
 */
final class PropertyChecks {

	private PropertyChecks() {
	}

	/** {@code value}, which must be a positive duration. */
	static Duration requirePositive(String property, Duration value) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw new InvalidPropertyException(property, value, "it must be positive",
					"Set " + property + " to a positive duration, such as 5s.");
		}
		return value;
	}

	/** {@code value}, which must not be shorter than {@code shorter}, the value of {@code shorterProperty}. */
	static Duration requireNotShorter(String property, Duration value, String shorterProperty, Duration shorter) {
		if (value.compareTo(shorter) < 0) {
			throw new InvalidPropertyException(property, value,
					"it must not be shorter than " + shorterProperty + " (" + shorter + ")",
					"Set " + property + " to " + shorter + " or more, or shorten " + shorterProperty + ".");
		}
		return value;
	}

	/** {@code value}, which must be at least one. */
	static int atLeastOne(String property, int value) {
		if (value < 1) {
			throw new InvalidPropertyException(property, value, "it must be at least 1",
					"Set " + property + " to 1 or more, or remove it for its default.");
		}
		return value;
	}

}
