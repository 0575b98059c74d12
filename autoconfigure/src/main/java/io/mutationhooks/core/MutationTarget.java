package io.mutationhooks.core;

import io.mutationhooks.Mutation;

/**
 * What a mutation writes, as logs show it: {@code id=42} for one row, {@code bulk} for several, or the query method
 * of a query write; escaped and cut so that a value cannot forge a log line.
 */
public final class MutationTarget {

	private MutationTarget() {
	}

	/**
	 * Describes the rows {@code mutation} writes, without reading anything from the database.
	 * @param mutation the mutation
	 * @return {@code id=...}, {@code bulk} or {@code by <query method>}
	 */
	public static String of(Mutation<?> mutation) {
		if (mutation.query().isPresent()) {
			return "by " + SafeText.message(mutation.query().get());
		}
		return switch (mutation.op()) {
			case CREATE, UPDATE_ONE, DELETE_ONE -> "id=" + SafeText.quote(String.valueOf(mutation.id()));
			case UPDATE, DELETE -> "bulk";
		};
	}

}
