package io.mutationhooks.testapp;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

import io.mutationhooks.s3.S3Reference;

/** A mutable entity whose avatar lives in the "avatars" bucket. */
@Table("member")
public class Member {

	@Id
	private Long id;

	private String name;

	@S3Reference(bucket = "avatars")
	private String avatarUrl;

	public Member() {
	}

	public Member(String name, String avatarUrl) {
		this.name = name;
		this.avatarUrl = avatarUrl;
	}

	public Long getId() {
		return this.id;
	}

	public void setId(Long id) {
		this.id = id;
	}

	public String getName() {
		return this.name;
	}

	public void setName(String name) {
		this.name = name;
	}

	public String getAvatarUrl() {
		return this.avatarUrl;
	}

	public void setAvatarUrl(String avatarUrl) {
		this.avatarUrl = avatarUrl;
	}

}
