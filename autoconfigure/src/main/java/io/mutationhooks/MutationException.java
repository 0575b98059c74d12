package io.mutationhooks;

import java.util.Objects;

import io.mutationhooks.core.SafeText;

/**
 * A write refused by a hook, or a hook that failed: names the entity, the operation and the reason. Nothing of
 * the write is kept when it is thrown. The message escapes and cuts the reason (see {@link SafeText#message}), so
 * that a value it quotes cannot forge a log line; {@link #getReason()} gives it as it was passed.
 */
public class MutationException extends RuntimeException {

	private final Class<?> entityType;

	private final Op op;

	private final String reason;

	private String hook;

	private String message;

	/**
	 * Creates an exception for a refused or failed mutation.
	 * @param entityType the entity type written, must not be {@literal null}
	 * @param op the operation, must not be {@literal null}
	 * @param reason why, must not be {@literal null}
	 * @param cause the underlying failure, may be {@literal null}
	 */
	public MutationException(Class<?> entityType, Op op, String reason, Throwable cause) {
		this(entityType, op, null, reason, cause);
	}

	/**
	 * Creates an exception for a mutation that a hook failed, naming the hook:
	 * {@code CREATE of User failed in hook 'requireName': boom}.
	 * @param entityType the entity type written, must not be {@literal null}
	 * @param op the operation, must not be {@literal null}
	 * @param hook the name of the hook that failed (the bean that declared it), may be {@literal null}
	 * @param reason why, must not be {@literal null}
	 * @param cause the underlying failure, may be {@literal null}
	 */
	public MutationException(Class<?> entityType, Op op, String hook, String reason, Throwable cause) {
		super(message(entityType, op, hook, reason), cause);
		this.entityType = entityType;
		this.op = Objects.requireNonNull(op, "op must not be null");
		this.hook = hook;
		this.reason = reason;
		this.message = super.getMessage();
	}

	private static String message(Class<?> entityType, Op op, String hook, String reason) {
		return op + " of " + Objects.requireNonNull(entityType, "entityType must not be null").getSimpleName()
				+ " failed" + (hook != null ? " in hook '" + SafeText.quote(hook) + "'" : "") + ": "
				+ SafeText.message(Objects.requireNonNull(reason, "reason must not be null"));
	}

	/**
	 * Creates an exception for a refused mutation.
	 * @param entityType the entity type written
	 * @param op the operation
	 * @param reason why
	 */
	public MutationException(Class<?> entityType, Op op, String reason) {
		this(entityType, op, reason, null);
	}

	/** The entity type whose write failed. */
	public Class<?> getEntityType() {
		return this.entityType;
	}

	/** The operation that failed. */
	public Op getOp() {
		return this.op;
	}

	/**
	 * The name of the hook that failed, the bean that declared it.
	 * @return the name, or {@literal null} if not known (a hook registered without a name) or no hook's (a
	 * before-commit action that refused the commit, a checked exception of the write)
	 */
	public String getHook() {
		return this.hook;
	}

	/**
	 * Names the hook this exception came from, once, when it was created without one: the starter names a hook bean
	 * that refuses a write with a {@code MutationException} of its own, which cannot know the bean's name, as
	 * {@link Throwable#initCause} sets a cause left out at creation. The message then names the hook too; the
	 * reason, the cause and the type of the exception stay as they were.
	 * @param hook the name of the hook (the bean that declared it), must not be {@literal null}
	 * @return this exception
	 * @throws IllegalStateException if the exception already names a hook
	 */
	public MutationException initHook(String hook) {
		Objects.requireNonNull(hook, "hook must not be null");
		if (this.hook != null) {
			throw new IllegalStateException("Can't name hook '" + SafeText.quote(hook) + "': the exception already "
					+ "names hook '" + SafeText.quote(this.hook) + "'", this);
		}
		this.hook = hook;
		this.message = message(this.entityType, this.op, hook, this.reason);
		return this;
	}

	@Override
	public String getMessage() {
		return this.message;
	}

	/** Why the mutation was refused or failed. */
	public String getReason() {
		return this.reason;
	}

}
