package io.mutationhooks.testapp;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.Table;

/** An immutable entity: a record with a generated id and a version. */
@Table("account")
public record Account(@Id Long id, @Version Integer version, String owner, String plan) {

	public static Account of(String owner, String plan) {
		return new Account(null, null, owner, plan);
	}

	public Account withPlan(String plan) {
		return new Account(this.id, this.version, this.owner, plan);
	}

}
