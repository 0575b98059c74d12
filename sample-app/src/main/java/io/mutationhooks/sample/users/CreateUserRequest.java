package io.mutationhooks.sample.users;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code POST /users}; refused with 400 before anything is written when it breaks a constraint.
 *
 * @param name the user's name
 * @param avatarUrl the avatar's key in the avatars bucket, or {@code s3://<bucket>/<key>}; the column holds 1024
 * characters
 */
record CreateUserRequest(
		@NotBlank(message = "name must not be blank")
		@Size(max = 100, message = "name must be at most 100 characters")
		String name,
		@NotBlank(message = "avatarUrl must not be blank")
		@Size(max = 1024, message = "avatarUrl must be at most 1024 characters")
		String avatarUrl) {
}
