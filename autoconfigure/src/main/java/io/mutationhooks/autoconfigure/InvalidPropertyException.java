package io.mutationhooks.autoconfigure;

/**
 * A property of the starter set to a value it cannot work with, reported by {@link InvalidPropertyFailureAnalyzer}
 * as Boot's "APPLICATION FAILED TO START" report naming the property, its value and what to do.
 */
class InvalidPropertyException extends IllegalStateException {

	private final String property;

	private final Object value;

	private final String problem;

	private final String action;

	/**
	 * @param property the full name of the property, such as {@code mutation-hooks.s3.verify.parallelism}
	 * @param value the value it is set to, or {@literal null} when it is missing
	 * @param problem what is wrong with the value
	 * @param action what the user should do about it
	 */
	InvalidPropertyException(String property, Object value, String problem, String action) {
		this(property, value, problem, action, null);
	}

	/**
	 * @param property the full name of the property
	 * @param value the value it is set to, or {@literal null} when it is missing
	 * @param problem what is wrong with the value
	 * @param action what the user should do about it
	 * @param cause the failure that showed the value cannot work, may be {@literal null}
	 */
	InvalidPropertyException(String property, Object value, String problem, String action, Throwable cause) {
		super(property + " = '" + value + "': " + problem, cause);
		this.property = property;
		this.value = value;
		this.problem = problem;
		this.action = action;
	}

	String property() {
		return this.property;
	}

	Object value() {
		return this.value;
	}

	String problem() {
		return this.problem;
	}

	String action() {
		return this.action;
	}

}
