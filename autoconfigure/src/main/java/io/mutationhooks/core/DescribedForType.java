package io.mutationhooks.core;

/**
 * A hook that says what it does for one entity type, such as the S3 sync naming the fields it checks: registry
 * listings of that type show this description instead of the hook's {@code toString}.
 */
public interface DescribedForType {

	/**
	 * Describes what this hook does for writes of {@code type}.
	 * @param type an entity type the hook applies to
	 * @return a short description, such as {@code S3SyncHook(User.avatarKey -> avatars)}
	 */
	String describeFor(Class<?> type);

}
