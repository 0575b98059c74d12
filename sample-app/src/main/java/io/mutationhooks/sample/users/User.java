package io.mutationhooks.sample.users;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

import io.mutationhooks.s3.S3Reference;

/**
 * A user with a name and an avatar image in the {@code avatars} bucket; neither changes after the user is created
 * (the hook in {@code UserHooks} refuses updates).
 *
 * @param id the id the database assigns
 * @param name the name, at most 100 characters
 * @param avatarUrl the avatar's key in the bucket, or {@code s3://<bucket>/<key>}: it must exist when the user is
 * created, and it leaves the bucket after the user is deleted
 */
@Table("users")
public record User(@Id Long id, String name, @S3Reference(bucket = "avatars") String avatarUrl) {
}
