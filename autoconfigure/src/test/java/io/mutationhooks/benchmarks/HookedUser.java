package io.mutationhooks.benchmarks;

import org.springframework.data.relational.core.mapping.Table;

import io.mutationhooks.testapp.User;

/** The same entity as {@link User}, on a table of its own, so that it can have hooks while {@link User} has none. */
@Table("hooked_user")
public class HookedUser extends User {

	public HookedUser() {
	}

	public HookedUser(String name, String email) {
		super(name, email);
	}

}
