package io.mutationhooks.testapp;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.Table;

/** A mutable entity with a generated id and a version, both set on the instance by a write. */
@Table("ledger")
public class Ledger {

	@Id
	private Long id;

	@Version
	private Integer version;

	private String entry;

	public Ledger() {
	}

	public Ledger(String entry) {
		this.entry = entry;
	}

	public Long getId() {
		return this.id;
	}

	public Integer getVersion() {
		return this.version;
	}

	public String getEntry() {
		return this.entry;
	}

	public void setEntry(String entry) {
		this.entry = entry;
	}

}
